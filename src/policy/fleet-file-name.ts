/**
 * The file-system name of a fleet (a report directory, a history file suffix). Fleet names are free text, so a
 * name that needs cleaning gets a digest of the original: `prod/eu` and `prod_eu` never share a directory or
 * a history, and the same fleet keeps the same name from run to run.
 */
import { createHash } from "node:crypto";

const SAFE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

export function fleetFileName(name: string): string {
  if (SAFE.test(name)) return name;
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_").slice(0, 80);
  return `${cleaned === "" ? "_" : cleaned}-${createHash("sha256").update(name, "utf8").digest("hex").slice(0, 10)}`;
}
