/**
 * Case-insensitive key lookup for raw records. The exact expected spelling is tried first (the common case costs
 * one property read); only a miss builds the lower-cased index, once per object.
 */
export class KeyLookup {
  private lowered: Map<string, unknown> | undefined;

  constructor(private readonly record: Readonly<Record<string, unknown>>) {}

  get(name: string): unknown {
    if (Object.prototype.hasOwnProperty.call(this.record, name)) return this.record[name];
    if (this.lowered === undefined) {
      this.lowered = new Map();
      for (const key of Object.keys(this.record)) {
        const lower = key.toLowerCase();
        // Two spellings of one key (AvIsEngineUptodate and AvIsEngineUpToDate): the first non-null wins.
        if (this.lowered.get(lower) === undefined || this.lowered.get(lower) === null) {
          this.lowered.set(lower, this.record[key]);
        }
      }
    }
    return this.lowered.get(name.toLowerCase());
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
