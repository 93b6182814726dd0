/**
 * The k-way merge of sorted runs, with de-duplication: entries of discarded batches are dropped, and of the
 * entries sharing a machineId the last in sort order wins (newest dataRefreshTimestamp, then the later-seen).
 */
import { compareEntries, type RunCursor, type RunEntry } from "./runs";

export async function mergeRuns(
  cursors: RunCursor[],
  discarded: ReadonlySet<number>,
  emit: (winner: RunEntry) => Promise<void> | undefined,
): Promise<void> {
  const heap = new CursorHeap(cursors.filter((c) => c.current !== undefined));
  let pending: RunEntry | undefined;
  for (;;) {
    const top = heap.peek();
    if (top === undefined) break;
    const entry = top.current as RunEntry;
    top.advance();
    heap.fix();
    if (discarded.has(entry.batch)) continue;
    if (pending !== undefined && pending.id !== entry.id) {
      const flushed = emit(pending);
      if (flushed) await flushed;
    }
    pending = entry;
  }
  if (pending !== undefined) {
    const flushed = emit(pending);
    if (flushed) await flushed;
  }
}

/** A binary min-heap of cursors ordered by their current entry; exhausted cursors leave the heap. */
class CursorHeap {
  constructor(private readonly items: RunCursor[]) {
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  peek(): RunCursor | undefined {
    return this.items[0];
  }

  /** Restores the heap after the top cursor moved. */
  fix(): void {
    const top = this.items[0];
    if (top === undefined) return;
    if (top.current === undefined) {
      const last = this.items.pop() as RunCursor;
      if (this.items.length === 0) return;
      this.items[0] = last;
    }
    this.down(0);
  }

  private down(start: number): void {
    const items = this.items;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) return;
      const right = left + 1;
      let least = left;
      if (right < items.length && less(items[right] as RunCursor, items[left] as RunCursor)) least = right;
      if (!less(items[least] as RunCursor, items[i] as RunCursor)) return;
      [items[i], items[least]] = [items[least] as RunCursor, items[i] as RunCursor];
      i = least;
    }
  }
}

function less(a: RunCursor, b: RunCursor): boolean {
  return compareEntries(a.current as RunEntry, b.current as RunEntry) < 0;
}
