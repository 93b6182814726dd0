import type { RecordSink } from "../../src/methods/types";

/** A sink that keeps raw records per batch and honours discards, for checking what a method delivered. */
export class RecordingSink implements RecordSink {
  private next = 1;
  readonly batches = new Map<number, Array<{ raw: unknown; order: number; where: string }>>();
  readonly discarded = new Set<number>();

  newBatch(): number {
    return this.next++;
  }

  add(raw: unknown, _shape: string, location: { source: string; line: number }, options: { batch?: number; order?: number }): void {
    const batch = options.batch ?? 0;
    const list = this.batches.get(batch) ?? [];
    list.push({ raw, order: options.order ?? -1, where: `${location.source}:${location.line}` });
    this.batches.set(batch, list);
  }

  discardBatch(batch: number): void {
    this.discarded.add(batch);
  }

  /** Ids of the kept records, sorted. */
  keptIds(key: "machineId" | "DeviceId"): string[] {
    const out: string[] = [];
    for (const [batch, list] of this.batches) {
      if (this.discarded.has(batch)) continue;
      for (const { raw } of list) out.push(String((raw as Record<string, unknown>)[key]));
    }
    return out.sort();
  }
}
