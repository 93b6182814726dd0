import { PassThrough } from "node:stream";
import { existsSync } from "node:fs";
import { parseEmulatorArgs, runEmulatorCli } from "../../src/emulator/cli";
import { isAvHealthError } from "../../src/errors";

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
}

describe("avhealth emulator CLI", () => {
  it("maps flags to options", () => {
    expect(
      parseEmulatorArgs(["--port", "0", "--devices", "10", "--seed", "7", "--parts", "3", "--next-link", "off", "--roles", "Machine.Read.All", "--rate-limit", "off", "--faults", "blob:truncate@1"]),
    ).toMatchObject({ port: 0, devices: 10, seed: "7", parts: 3, nextLink: false, roles: ["Machine.Read.All"], rateLimit: "off", faults: "blob:truncate@1" });
    expect(parseEmulatorArgs(["--help"])).toBe("help");
  });

  it.each([["--devices", "ten"], ["--next-link", "maybe"], ["--bogus"], ["--fleet", "f.json", "--devices", "3"], ["stray"]])("rejects %j with USAGE", (...argv) => {
    let caught: unknown;
    try {
      parseEmulatorArgs(argv);
    } catch (error) {
      caught = error;
    }
    expect(isAvHealthError(caught, "USAGE")).toBe(true);
  });

  it("prints exactly one JSON line on stdout, logs to stderr, and stops with 0 (signal and SIGTERM)", async () => {
    for (const stopWith of ["abort", "SIGTERM"] as const) {
      const out = capture();
      const err = capture();
      const controller = new AbortController();
      const running = runEmulatorCli(["--devices", "5", "--seed", "x", "--faults", "blob:500@1"], { stdout: out.stream, stderr: err.stream }, { signal: controller.signal });
      await waitFor(() => out.text().includes("\n"));
      const lines = out.text().split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe("");
      const info = JSON.parse(lines[0] ?? "") as Record<string, string>;
      for (const key of ["apiUrl", "authorityHost", "tenantId", "clientId", "clientSecret", "caCertPath"]) expect(typeof info[key]).toBe("string");
      expect(info.apiUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(info.caCertPath ?? "")).toBe(true);
      if (stopWith === "abort") controller.abort();
      else process.emit("SIGTERM");
      await expect(running).resolves.toBe(0);
      expect(out.text()).toBe(`${lines[0]}\n`);
      expect(err.text()).toMatch(/listening on https:\/\/127\.0\.0\.1/);
      expect(err.text()).not.toContain(info.clientSecret);
      expect(existsSync(info.caCertPath ?? "")).toBe(false);
      expect(process.listenerCount("SIGTERM")).toBe(0);
    }
  });

  it("turns an invalid fault spec into USAGE before listening", async () => {
    const out = capture();
    await expect(runEmulatorCli(["--faults", "blob:nope@1"], { stdout: out.stream, stderr: capture().stream })).rejects.toMatchObject({ code: "USAGE" });
    expect(out.text()).toBe("");
  });
});

describe("avhealth emulator --write-env", () => {
  it("replaces a stale file, writes export lines once ready (mode 0600), and removes the file on stop", async () => {
    const { mkdtemp, readFile, rm, stat, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = await mkdtemp(path.join(tmpdir(), "avhealth-envfile-"));
    try {
      await writeFile(path.join(dir, "emu.env"), "export AZURE_TENANT_ID='stale'\n");
      const out = capture();
      const err = capture();
      const controller = new AbortController();
      const running = runEmulatorCli(["--devices", "5", "--write-env", "emu.env"], { stdout: out.stream, stderr: err.stream, cwd: dir }, { signal: controller.signal });
      await waitFor(() => out.text().includes("\n"));
      const info = JSON.parse(out.text().split("\n")[0] ?? "") as Record<string, string>;
      await waitFor(() => existsSync(path.join(dir, "emu.env")));
      const text = await readFile(path.join(dir, "emu.env"), "utf8");
      expect(text).toBe(
        [
          `export AZURE_TENANT_ID='${info.tenantId}'`,
          `export AZURE_CLIENT_ID='${info.clientId}'`,
          `export AZURE_CLIENT_SECRET='${info.clientSecret}'`,
          `export AVHEALTH_API_URL='${info.apiUrl}'`,
          `export AZURE_AUTHORITY_HOST='${info.authorityHost}'`,
          `export AVHEALTH_CA_FILE='${info.caCertPath}'`,
          `AVHEALTH_EMULATOR_PID=${process.pid}`,
          "",
        ].join("\n"),
      );
      expect((await stat(path.join(dir, "emu.env"))).mode & 0o777).toBe(0o600);
      controller.abort();
      await expect(running).resolves.toBe(0);
      expect(existsSync(path.join(dir, "emu.env"))).toBe(false);
      expect(err.text()).not.toContain(info.clientSecret);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("shell-quotes values so that a quote cannot end the string", async () => {
    const { emulatorEnvLines } = await import("../../src/emulator/cli");
    const text = emulatorEnvLines({ tenantId: "t", clientId: "c", clientSecret: "it's $(x)", apiUrl: "u", authorityHost: "a", caCertPath: "p" });
    expect(text).toContain("export AZURE_CLIENT_SECRET='it'\\''s $(x)'\n");
  });
});
