/**
 * Case-insensitive key lookup for raw records. The exact expected spelling is tried first (the common case costs
 * one property read); only a miss builds the lower-cased index, once per object.
 */
export class KeyLookup {
  private lowered: Map<string, unknown> | undefined;

  constructor(private readonly record: Readonly<Record<string, unknown>>) {}

  /** `name` is one of the fixed field names of the shapes, none of which exists on Object.prototype. */
  get(name: string): unknown {
    const exact = this.record[name];
    return exact !== undefined ? exact : this.loose(name);
  }

  /** The value under `name` spelled exactly so; undefined when absent. */
  exact(name: string): unknown {
    return this.record[name];
  }

  /** The value under any casing of `name`. */
  loose(name: string): unknown {
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
