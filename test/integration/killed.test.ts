/**
 * A fetch killed mid-way (SIGKILL: no clean-up code runs) leaves no file at --out, not even a partial one: the
 * snapshot is assembled beside it and renamed onto it only when complete. The fetch runs in a child process
 * with one part worker; every part but the first hangs, so the kill always lands after real data was written.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "avh-killed-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const root = join(__dirname, "..", "..");

/** Runs in the child: transpiles the TS sources on require (as src/ingest/spawn.ts does for workers). */
const CHILD = `
const ts = require(${JSON.stringify(require.resolve("typescript"))});
const { readFileSync } = require("node:fs");
require.extensions[".ts"] = (module, filename) => {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  module._compile(ts.transpileModule(readFileSync(filename, "utf8"), { fileName: filename, compilerOptions }).outputText, filename);
};
const { fetchSnapshot } = require(${JSON.stringify(join(root, "src/fetch/index.ts"))});
const { fakeClient } = require(${JSON.stringify(join(root, "test/methods/fake-client.ts"))});
const [outPath, tmpDir] = process.argv.slice(1);
const client = fakeClient({ devices: 20000, parts: 4 });
const getBlob = client.getBlob;
client.getBlob = (url) => (url.includes("part-0") ? getBlob(url) : new Promise(() => undefined));
fetchSnapshot({ client, method: "files", outPath, partWorkers: 1, writer: { tmpDir },
  onProgress: (e) => { if (e.kind === "part") console.log("part " + e.partsDone + " " + e.devices); } })
  .then(() => console.log("finished"), (e) => console.log("failed " + e.message));
`;

describe("a fetch killed mid-way", () => {
  it("leaves no snapshot file, partial or temporary, where the snapshot goes", async () => {
    const out = join(dir, "out", "snap.ndjson.gz");
    const segments = join(dir, "segments");
    mkdirSync(join(dir, "out"));
    mkdirSync(segments);
    const child = spawn(process.execPath, ["-e", CHILD, out, segments], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
    expect(first).toBe("part 1 5000");
    // The part's lines are on disk in the segment directory: the kill lands after real data was written.
    expect(readdirSync(segments)).toHaveLength(1);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(readdirSync(join(dir, "out"))).toEqual([]);
  }, 60_000);
});
