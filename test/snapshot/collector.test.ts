import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { serializeDevice } from "../../src/model/device";
import { normalizeFileRecord, normalizeJsonRecord } from "../../src/normalize";
import { RecordCollector, SnapshotWriter } from "../../src/snapshot";
import { fileRecord, jsonRecord } from "../normalize/fixtures";
import { FETCHED_AT } from "./make-device";

describe("RecordCollector", () => {
  it("writes the serializeDevice bytes of each normalized record, counts rejects and warnings per batch", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avh-coll-"));
    try {
      const collector = new RecordCollector(new SnapshotWriter({ fetchedAt: FETCHED_AT }));
      const at = { source: "page 1", line: 1, unit: "record" as const };
      collector.add(jsonRecord({ machineId: "j", lastSeenTime: "bad time" }), "json", at);
      collector.add(fileRecord({ top: { DeviceId: "f" } }), "auto", { source: "part 1 of 1", line: 2 });
      const lost = collector.newBatch();
      collector.add(fileRecord({ top: { DeviceId: "" } }), "files", { source: "part 2 of 2", line: 9 }, { batch: lost });
      collector.add(jsonRecord({ machineId: "", id: "" }), "json", { source: "page 2", line: 4, unit: "record" });
      expect(collector.rejectedCount).toBe(2);
      collector.discardBatch(lost);
      expect(collector.rejectedCount).toBe(1);
      expect(collector.incompleteReasons()).toEqual(["page 2, record 4: the record has no machine id; not included"]);
      expect(collector.warningCount).toBe(1);
      expect(collector.warningSamples).toEqual(['page 1, record 1: lastSeenTime: unparseable time "bad time"']);
      const out = join(dir, "s.gz");
      await collector.writer.finish({ outPath: out, method: "json", generatedTime: null, source: { apiUrl: null, filter: null } });
      const lines = gunzipSync(readFileSync(out)).toString("utf8").trim().split("\n").slice(1).sort();
      expect(lines).toEqual([
        serializeDevice(normalizeFileRecord(fileRecord({ top: { DeviceId: "f" } }), { location: at })),
        serializeDevice(normalizeJsonRecord(jsonRecord({ machineId: "j", lastSeenTime: "bad time" }), { location: at })),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
