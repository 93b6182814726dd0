/**
 * A read-only array over entries that are built when read (for example the failing devices of src/rules/evaluate/failing-store.ts). Every reader of a report uses
 * its device lists as arrays (length, indexing, slice, map, iteration, JSON.stringify, Array.isArray), and the
 * lists are contract types (FailingDevice[]), so the view is a Proxy of an empty array that answers `length`
 * and the indexes from its source; every Array method then works on it unchanged, reading only the entries it
 * touches (a capped Markdown list reads 25 of a million). Writes (push, sort, assignment) throw: a report's
 * lists are final. Code that reads every entry (the JSON report, the CSV) can take the source directly
 * (listSource) and skip the Proxy.
 */

export interface DeviceListSource<T> {
  readonly length: number;
  entry(index: number): T;
}

const sources = new WeakMap<object, DeviceListSource<unknown>>();

/** The index a property key names when it is one below `length`, else -1. */
function indexOf(key: string | symbol, length: number): number {
  if (typeof key !== "string" || key.length === 0 || key.length > 10) return -1;
  const first = key.charCodeAt(0);
  if (first < 0x30 || first > 0x39 || (first === 0x30 && key.length > 1)) return -1;
  const n = Number(key);
  return Number.isInteger(n) && n < length ? n : -1;
}

function readOnly(): boolean {
  throw new TypeError("a report's device list is read-only");
}

export function deviceListView<T>(source: DeviceListSource<T>): T[] {
  const length = source.length;
  const handler: ProxyHandler<T[]> = {
    get(target, key, receiver) {
      if (key === "length") return length;
      const i = indexOf(key, length);
      return i >= 0 ? source.entry(i) : Reflect.get(target, key, receiver);
    },
    has(target, key) {
      return indexOf(key, length) >= 0 || Reflect.has(target, key);
    },
    ownKeys() {
      const keys: string[] = [];
      for (let i = 0; i < length; i++) keys.push(String(i));
      keys.push("length");
      return keys;
    },
    getOwnPropertyDescriptor(target, key) {
      if (key === "length") return { value: length, writable: true, enumerable: false, configurable: false };
      const i = indexOf(key, length);
      return i >= 0 ? { value: source.entry(i), writable: false, enumerable: true, configurable: true } : Reflect.getOwnPropertyDescriptor(target, key);
    },
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
    setPrototypeOf: readOnly,
  };
  const view = new Proxy<T[]>([], handler);
  sources.set(view, source);
  return view;
}

/** The source behind a view made by deviceListView, for reading every entry without the Proxy; else undefined. */
export function listSource<T>(list: readonly T[]): DeviceListSource<T> | undefined {
  return sources.get(list) as DeviceListSource<T> | undefined;
}
