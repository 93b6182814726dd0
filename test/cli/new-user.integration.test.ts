/**
 * The README's walk-through, as separate processes: `avhealth emulator` prints its coordinates, the user exports
 * them (the CA through NODE_EXTRA_CA_CERTS, as for any private CA), runs `avhealth fetch` and `avhealth check`,
 * then stops the emulator with Ctrl-C. Runs the built bin (npm test builds first).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import type { EmulatorCoordinates } from "../helpers/emulator-env";

const BIN = path.resolve(__dirname, "../../bin/avhealth.js");
const RULES = path.resolve(__dirname, "../../examples/rules/compliance.yaml");

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once("line", (text) => resolve(text));
    child.once("exit", (code) => reject(new Error(`emulator exited ${code} before printing its coordinates`)));
  });
}

describe("a new user's first fetch", () => {
  let emulator: ChildProcessWithoutNullStreams;
  let coordinates: EmulatorCoordinates;
  let dir: string;
  const extraStdout: string[] = [];

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-newuser-"));
    emulator = spawn(process.execPath, [BIN, "emulator", "--devices", "250", "--seed", "3", "--rate-limit", "off"], { cwd: dir });
    const line = await firstLine(emulator);
    emulator.stdout.on("data", (chunk: Buffer) => extraStdout.push(chunk.toString()));
    coordinates = JSON.parse(line) as EmulatorCoordinates;
  });

  afterAll(async () => {
    if (emulator.exitCode === null) emulator.kill("SIGKILL");
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("fetch and check work with the exported variables, and the emulator stops cleanly on SIGINT", async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AZURE_TENANT_ID: coordinates.tenantId,
      AZURE_CLIENT_ID: coordinates.clientId,
      AZURE_CLIENT_SECRET: coordinates.clientSecret,
      AVHEALTH_API_URL: coordinates.apiUrl,
      AZURE_AUTHORITY_HOST: coordinates.authorityHost,
      NODE_EXTRA_CA_CERTS: coordinates.caCertPath,
    };
    const fetched = spawnSync(process.execPath, [BIN, "fetch"], { cwd: dir, env, encoding: "utf8" });
    // Not a terminal: progress comes as plain lines, one per stage (a short fetch has nothing else to say).
    expect(fetched.stderr).toMatch(/^progress \[\d+s\] signed in$/m);
    expect(fetched.stderr.trimEnd().split("\n").every((l) => l.startsWith("progress ["))).toBe(true);
    expect(fetched.status).toBe(0);
    expect(fetched.stdout).toMatch(/devices +250 \(complete\)/);
    expect(fetched.stdout).not.toContain(coordinates.clientSecret);

    const checked = spawnSync(process.execPath, [BIN, "check", "--rules", RULES, "--snapshot", "avhealth-snapshot.ndjson.gz", "--now", "2026-11-27T00:00:00Z"], {
      cwd: dir,
      env,
      encoding: "utf8",
    });
    expect([0, 1]).toContain(checked.status);
    expect(checked.stdout).toMatch(/gate: (PASS|FAIL), 250 devices/);
    expect((await fs.readdir(path.join(dir, "avhealth-reports"))).sort()).toEqual(["avhealth-report.json", "avhealth-report.md"]);

    const exited = new Promise<number | null>((resolve) => emulator.once("exit", (code) => resolve(code)));
    emulator.kill("SIGINT");
    expect(await exited).toBe(0);
    // The coordinates line is the only thing the emulator ever prints on stdout.
    expect(extraStdout.join("")).toBe("");
  });
});
