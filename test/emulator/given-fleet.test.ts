import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accessToken, apiGet, gunzipLines, harness, http, requestExport } from "./helpers";
import { DOC_EXAMPLE } from "./doc-example";
import { fromFileLine, fromJson } from "./normalize";


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
