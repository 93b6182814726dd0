/**
 * A full garbage collection on demand, for the one place where the library knows a large amount of memory has
 * just become garbage and something memory-hungry comes next: auto's probe pages (over 100,000 parsed devices)
 * before the file export's part workers start. Without it the probe's garbage stays resident until V8 decides
 * to collect, and its memory and the workers' add up (about 130 MB more peak RSS on a 1,000,000-device fetch).
 * Uses `gc` when the process was started with --expose-gc, otherwise enables it the way jest's
 * --logHeapUsage does; a runtime without it is left alone. Node calls changing V8 flags after start-up
 * unsupported in general; this flag only adds a `gc` function to contexts and workers created afterwards
 * (the part workers included, which never call it).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (collect === undefined) collect = findGc();
  collect?.();
}

function findGc(): (() => void) | null {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === "function") return exposed as () => void;
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
