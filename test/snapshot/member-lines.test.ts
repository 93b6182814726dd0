/** MemberLines: a table row's line and machineId read back from the segment file, across gzip members. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemberLines } from "../../src/snapshot/member-lines";
import { MEMBER_BYTES, SegmentWriter } from "../../src/snapshot/segment";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "avh-member-lines-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A device line of about 1 KB whose machineId is `m<n>`, with non-ASCII text so that bytes and characters differ. */
const lineOf = (n: number): string => JSON.stringify({ machineId: `m${n}`, computerDnsName: `hôst-${n}-${"x".repeat(1000)}` });

describe("MemberLines", () => {
  it("reads each row's line and id, in the first, a middle and the last member, and the rows at member ends", async () => {
    const segment = new SegmentWriter(join(dir, "t.seg"), 1);
    const rows = Math.ceil((MEMBER_BYTES * 2.5) / 1030);
    for (let n = 0; n < rows; n++) segment.add(1, lineOf(n), { id: `m${n}`, time: 0, order: n, profile: 0 });
    const table = await segment.seal(1);
    await segment.close();
    expect(table.members.length).toBe(3);
    const lines = new MemberLines();
    try {
      const firstOfSecond = (table.members[0]?.lines ?? 0);
      for (const r of [0, firstOfSecond - 1, firstOfSecond, firstOfSecond + 1, rows - 1, 1]) {
        expect(lines.line(table, r)).toBe(lineOf(r));
        expect(lines.machineId(table, r)).toBe(`m${r}`);
      }
    } finally {
      lines.close();
    }
  });
});
