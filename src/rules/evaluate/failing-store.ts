/**
 * The failing devices of an evaluation, held compactly. A million-device fleet can fail two million
 * device-rule pairs; as one object each ({machineId, computerDnsName, outcome, reason}, 56 bytes on a 64-bit
 * heap, plus the array slot) they were half of the evaluation's memory. Here each failing device's id and name
 * are stored once (a row of the device table, taken on its first failure of the pass), and each rule keeps
 * three columns per failing entry: the device row, the reason's index in a pool of distinct reasons, and the
 * outcome. The report's lists are read-only views over those columns (src/util/list-view.ts); an entry object exists
 * only while someone reads it.
 */
import type { NormalizedDevice } from "../../model/device";
import type { FailingDevice } from "../../report-model/types";
import { deviceListView, type DeviceListSource } from "../../util/list-view";

/** The device fields that route a failing device to whoever can fix it. */
export type Routing = Pick<NormalizedDevice, "rbacGroupName" | "osPlatform" | "lastSeenTime">;

const NO_ROUTING: Routing = { rbacGroupName: null, osPlatform: null, lastSeenTime: null };

/** One rule's failing entries in pass order, in columns grown by doubling. */
export class EntryColumns {
  rows = new Int32Array(16);
  reasons = new Int32Array(16);
  fails = new Uint8Array(16);
  length = 0;

  push(row: number, reason: number, fail: boolean): void {
    if (this.length === this.rows.length) this.grow();
    this.rows[this.length] = row;
    this.reasons[this.length] = reason;
    this.fails[this.length] = fail ? 1 : 0;
    this.length++;
  }

  private grow(): void {
    const size = this.rows.length * 2;
    const rows = new Int32Array(size);
    const reasons = new Int32Array(size);
    const fails = new Uint8Array(size);
    rows.set(this.rows);
    reasons.set(this.reasons);
    fails.set(this.fails);
    this.rows = rows;
    this.reasons = reasons;
    this.fails = fails;
  }
}

export class FailingStore {
  /** The device table: machineId and computerDnsName by row. */
  private readonly ids: string[] = [];
  private readonly names: Array<string | null> = [];
  private readonly reasonText: string[] = [];
  private readonly reasonIndex = new Map<string, number>();
  /** After rank(): the rows in report order, and each row's place in it. */
  private order: Int32Array | null = null;
  private rankOf: Int32Array | null = null;
  private scratch: Int32Array | null = null;

  /** What routes a failing device to its owner (machine group, OS platform, last seen), by row. */
  private readonly groups: Array<string | null> = [];
  private readonly platforms: Array<string | null> = [];
  /** Epoch ms (NaN for none): normalized times are exactly toISOString's, so the string comes back unchanged. */
  private lastSeen = new Float64Array(1024);
  /** Group and platform names repeat across the fleet: one copy of each. */
  private readonly pool = new Map<string, string>();

  addDevice(machineId: string, computerDnsName: string | null, routing: Routing = NO_ROUTING): number {
    this.names.push(computerDnsName);
    this.groups.push(this.pooled(routing.rbacGroupName));
    this.platforms.push(this.pooled(routing.osPlatform));
    const row = this.ids.push(machineId) - 1;
    if (row === this.lastSeen.length) {
      const grown = new Float64Array(row * 2);
      grown.set(this.lastSeen);
      this.lastSeen = grown;
    }
    this.lastSeen[row] = routing.lastSeenTime === null ? Number.NaN : Date.parse(routing.lastSeenTime);
    return row;
  }

  private pooled(text: string | null): string | null {
    if (text === null) return null;
    const known = this.pool.get(text);
    if (known !== undefined) return known;
    this.pool.set(text, text);
    return text;
  }

  reason(text: string): number {
    const known = this.reasonIndex.get(text);
    if (known !== undefined) return known;
    this.reasonIndex.set(text, this.reasonText.length);
    return this.reasonText.push(text) - 1;
  }

  entry(row: number, reason: number, fail: boolean): FailingDevice {
    return {
      machineId: this.ids[row] as string,
      computerDnsName: this.names[row] as string | null,
      outcome: fail ? "fail" : "unknown",
      reason: this.reasonText[reason] as string,
      rbacGroupName: this.groups[row] as string | null,
      osPlatform: this.platforms[row] as string | null,
      lastSeenTime: lastSeenText(this.lastSeen[row] as number),
    };
  }

  /**
   * The report order of every row, decided once for all rules: computerDnsName, then machineId, by UTF-16 code
   * units (compareFailing's order), no name last; equal devices (a snapshot input that repeats an id) keep
   * the order they were seen in, as a stable sort of each list would.
   */
  rank(): void {
    const { ids, names } = this;
    const order = new Int32Array(ids.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => {
      const na = names[a] as string | null;
      const nb = names[b] as string | null;
      if (na !== nb) {
        if (na === null) return 1;
        if (nb === null) return -1;
        return na < nb ? -1 : 1;
      }
      const ia = ids[a] as string;
      const ib = ids[b] as string;
      return ia < ib ? -1 : ia > ib ? 1 : a - b;
    });
    const rankOf = new Int32Array(order.length);
    for (let r = 0; r < order.length; r++) rankOf[order[r] as number] = r;
    this.order = order;
    this.rankOf = rankOf;
    this.scratch = new Int32Array(order.length);
  }

  /** Drops the ordering tables once every list is built (the views need only the device table and reasons). */
  finish(): void {
    this.order = null;
    this.rankOf = null;
    this.scratch = null;
  }

  /** The rule's entries in report order, as a read-only FailingDevice[] view. Call rank() first. */
  sortedList(columns: EntryColumns): FailingDevice[] {
    const { order, rankOf, scratch } = this;
    if (order === null || rankOf === null || scratch === null) throw new Error("FailingStore.sortedList() outside rank() ... finish()");
    const n = columns.length;
    // A device appears at most once per rule, so its rank alone orders the entries; scratch maps row → entry.
    const keys = new Int32Array(n);
    for (let e = 0; e < n; e++) {
      const row = columns.rows[e] as number;
      keys[e] = rankOf[row] as number;
      scratch[row] = e;
    }
    keys.sort();
    const rows = new Int32Array(n);
    const reasons = new Int32Array(n);
    const fails = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const row = order[keys[i] as number] as number;
      const e = scratch[row] as number;
      rows[i] = row;
      reasons[i] = columns.reasons[e] as number;
      fails[i] = columns.fails[e] as number;
    }
    return deviceListView(new SortedEntries(this, rows, reasons, fails));
  }
}

function lastSeenText(ms: number): string | null {
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

class SortedEntries implements DeviceListSource<FailingDevice> {
  constructor(
    private readonly store: FailingStore,
    private readonly rows: Int32Array,
    private readonly reasons: Int32Array,
    private readonly fails: Uint8Array,
  ) {}

  get length(): number {
    return this.rows.length;
  }

  entry(i: number): FailingDevice {
    return this.store.entry(this.rows[i] as number, this.reasons[i] as number, this.fails[i] === 1);
  }
}
