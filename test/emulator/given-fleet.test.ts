import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accessToken, apiGet, gunzipLines, harness, http, requestExport } from "./helpers";
import { fromFileLine, fromJson } from "./normalize";

const DOC_EXAMPLE = {
  id: "30a8fa2826abf24d24379b23f8a44d471f00feab", machineId: "30a8fa2826abf24d24379b23f8a44d471f00feab", computerDnsName: "appblockstg1",
  osKind: "windows", osPlatform: "Windows10", osVersion: "10.0.19044.1865", avMode: "0", avSignatureVersion: "1.371.1279.0",
  avEngineVersion: "1.1.19428.0", avPlatformVersion: "4.18.2206.108", lastSeenTime: "2022-08-02T19:40:45Z", quickScanResult: "Completed",
  quickScanError: "", quickScanTime: "2022-08-02T18:40:15.882Z", fullScanResult: "", fullScanError: "", fullScanTime: null,
  dataRefreshTimestamp: "2022-08-02T21:16:23Z", avEngineUpdateTime: "2022-08-02T00:03:39Z", avSignatureUpdateTime: "2022-08-02T00:03:39Z",
  avPlatformUpdateTime: "2022-06-20T16:59:35Z", avIsSignatureUpToDate: "True", avIsEngineUpToDate: "True", avIsPlatformUpToDate: "True",
  avSignaturePublishTime: "2022-08-02T00:03:39Z", rbacGroupName: "TVM1", rbacGroupId: 4415,
};

describe("a given fleet file", () => {
  const dir = mkdtempSync(join(tmpdir(), "avhealth-fleet-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["a JSON array", (records: unknown[]) => JSON.stringify(records)],
    ['{"value": [...]} with a BOM', (records: unknown[]) => `\uFEFF${JSON.stringify({ value: records })}`],
  ])("serves %s verbatim by JSON and with the same facts by files", async (_name, encode) => {
    const records = [
      DOC_EXAMPLE,
      { ...DOC_EXAMPLE, id: "b".repeat(40), machineId: "b".repeat(40), osKind: "linux", osPlatform: "Ubuntu", rbacGroupId: null, rbacGroupName: null, avIsEngineUpToDate: "Unknown" },
    ];
    const path = join(dir, `fleet-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, encode(records));
    const h = await harness({ fleet: path, devices: undefined });
    try {
      const token = await accessToken(h);
      const page = JSON.parse((await apiGet(h, "/api/deviceavinfo", token)).text) as { value: unknown[] };
      expect(page.value).toEqual(records);
      const { exportFiles } = await requestExport(h, token);
      expect(exportFiles.map((f) => /_RbacGroupId=([^/]+)/.exec(f)?.[1]).sort()).toEqual(["4415", "__HIVE_DEFAULT_PARTITION__"]);
      const lines: string[] = [];
      for (const file of exportFiles) lines.push(...gunzipLines((await http(h, file)).body));
      expect(lines.map(fromFileLine).sort()).toEqual(records.map(fromJson).sort());
    } finally {
      await h.close();
    }
  });
});
