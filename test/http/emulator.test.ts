/**
 * The client against the emulator over real HTTPS: each credential kind obtains a real token and reads
 * /api/deviceavinfo; the emulator's CA is trusted through AVHEALTH_CA_FILE, never NODE_TLS_REJECT_UNAUTHORIZED.
 */
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { ErrorCodes, type AvHealthError } from "../../src/errors";
import { openApiClient } from "../../src/http/open";
import type { ApiClient, ProgressEvent } from "../../src/http/types";
import type { Env } from "../../src/config/types";
import { emulatorEnv } from "../helpers/emulator-env";
import { failure } from "../helpers/errors";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ devices: 25, seed: "http-layer", rateLimit: "off", faults: "blob:expire@2" });
});
afterAll(async () => {
  await emu.close();
});

function envFor(credential: Env): Env {
  return emulatorEnv(emu, credential);
}


async function withClient<T>(env: Env, use: (client: ApiClient, events: ProgressEvent[]) => Promise<T>): Promise<T> {
  const events: ProgressEvent[] = [];
  const client = await openApiClient({ env, budget: "off", retry: { baseDelayMs: 5, maxDelayMs: 20 }, onProgress: (e) => events.push(e) });
  try {
    return await use(client, events);
  } finally {
    await client.close();
  }
}

const flows: [string, () => Env][] = [
  ["client secret", () => ({ AZURE_CLIENT_SECRET: emu.clientSecret })],
  ["client certificate", () => ({ AZURE_CLIENT_CERTIFICATE_PATH: emu.clientCertificatePath })],
  ["federated token file", () => ({ AZURE_FEDERATED_TOKEN_FILE: emu.federatedTokenFile })],
  ["GitHub Actions OIDC", () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: emu.oidcRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: emu.oidcRequestToken })],
];

describe("each credential kind against the emulator", () => {
  it.each(flows)("%s: gets a token and reads deviceavinfo, contacting only the authority and the API", async (_name, credential) => {
    const before = emu.requests().length;
    const page = await withClient(envFor(credential()), async (client, events) => {
      const res = await client.getJson("/api/deviceavinfo?$top=10", "deviceavinfo");
      expect(events.filter((e) => e.kind === "token")).toHaveLength(1);
      return res;
    });
    const value = (page.body as { value?: unknown[] }).value;
    expect(value).toHaveLength(10);
    const log = emu.requests().slice(before);
    // No discovery or JWKS requests: MSAL was given the authority's endpoints.
    expect(new Set(log.map((r) => r.route))).toEqual(new Set(_name === "GitHub Actions OIDC" ? ["oidc", "token", "deviceavinfo"] : ["token", "deviceavinfo"]));
    expect(log.filter((r) => r.route === "deviceavinfo" && r.status === 200).every((r) => r.hadAuthorization)).toBe(true);
  });
});

describe("export blobs from the emulator", () => {
  it("downloads a part without Authorization; an expired SAS → EXPORT_SAS_EXPIRED without the signature", async () => {
    await withClient(envFor({ AZURE_CLIENT_SECRET: emu.clientSecret }), async (client) => {
      const exported = await client.getJson("/api/machines/InfoGatheringExport?sasValidHours=6", "export");
      const files = (exported.body as { exportFiles?: unknown }).exportFiles;
      if (!Array.isArray(files) || typeof files[0] !== "string") throw new Error("no export files");
      const first: string = files[0];
      const chunks: Buffer[] = [];
      for await (const chunk of await client.getBlob(first)) chunks.push(chunk as Buffer);
      expect([...Buffer.concat(chunks).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
      const error = await failure(client.getBlob(first));
      expect(error.code).toBe(ErrorCodes.EXPORT_SAS_EXPIRED);
      const sig = new URL(first).searchParams.get("sig") ?? "";
      expect(sig.length).toBeGreaterThan(5);
      expect(`${error.message}${error.stack ?? ""}${JSON.stringify(error.details)}`).not.toContain(sig);
    });
    const blobs = emu.requests().filter((r) => r.route === "blob");
    expect(blobs.map((r) => [r.status, r.hadAuthorization])).toEqual([
      [200, false],
      [403, false],
    ]);
  });
});

describe("faults and failures against the emulator", () => {
  it("a wrong client secret → AUTH_FAILED with the AADSTS code; the canary appears in no message, stack, console or request log", async () => {
    const canary = "CANARY-emulator-secret-0c4f2e";
    const output: string[] = [];
    const spies = (["log", "warn", "error", "info", "debug"] as const).map((m) => jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void output.push(args.map(String).join(" "))));
    const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => (output.push(String(chunk)), true));
    let error: AvHealthError;
    try {
      error = await failure(withClient(envFor({ AZURE_CLIENT_SECRET: canary }), (client) => client.getJson("/api/deviceavinfo?$top=1", "deviceavinfo")));
    } finally {
      spies.forEach((s) => s.mockRestore());
      write.mockRestore();
    }
    expect(error.code).toBe(ErrorCodes.AUTH_FAILED);
    expect(error.details.aadsts).toEqual(expect.stringMatching(/^AADSTS\d+$/));
    const causes: string[] = [];
    for (let c: unknown = error; c instanceof Error; c = c.cause) causes.push(`${c.message}\n${c.stack ?? ""}`);
    const everything = [...causes, JSON.stringify(error.details), ...output, JSON.stringify(emu.requests())].join("\n");
    expect(everything).not.toContain(canary);
  });

  it("NODE_EXTRA_CA_CERTS alone is enough to trust the emulator", async () => {
    const env = { ...envFor({ AZURE_CLIENT_SECRET: emu.clientSecret }), AVHEALTH_CA_FILE: "", NODE_EXTRA_CA_CERTS: emu.caCertPath };
    const page = await withClient(env, (client) => client.getJson("/api/deviceavinfo?$top=2", "deviceavinfo"));
    expect((page.body as { value: unknown[] }).value).toHaveLength(2);
  });

  it("an untrusted emulator CA (no CA option) → HTTP_NETWORK naming the CA settings", async () => {
    const env = { ...envFor({ AZURE_CLIENT_SECRET: emu.clientSecret }), AVHEALTH_CA_FILE: "" };
    const error = await failure(withClient(env, (client) => client.getJson("/api/deviceavinfo?$top=1", "deviceavinfo")));
    expect(error.code).toBe(ErrorCodes.HTTP_NETWORK);
    expect(error.message).toContain("AVHEALTH_CA_FILE");
  });
});

describe("an emulator with faults and only Machine.Read.All", () => {
  let limited: RunningEmulator;
  let env: Env;
  beforeAll(async () => {
    // The Nth-request faults hit the first test below, which runs first (jest keeps declaration order in a file).
    limited = await startEmulator({
      devices: 3,
      rateLimit: "off",
      roles: ["Machine.Read.All"],
      faults: "token:500@1,deviceavinfo:502@1,deviceavinfo:reset@2,deviceavinfo:429@3",
    });
    env = {
      AZURE_TENANT_ID: limited.tenantId,
      AZURE_CLIENT_ID: limited.clientId,
      AZURE_CLIENT_SECRET: limited.clientSecret,
      AVHEALTH_API_URL: limited.apiUrl,
      AZURE_AUTHORITY_HOST: limited.authorityHost,
      AVHEALTH_CA_FILE: limited.caCertPath,
    };
  });
  afterAll(async () => {
    await limited.close();
  });

  it("token 500, bodiless 502, reset and 429 are retried; the page equals a fault-free read", async () => {
    await withClient(env, async (client, events) => {
      const throughFaults = await client.getJson("/api/deviceavinfo?$top=10", "deviceavinfo");
      const clean = await client.getJson("/api/deviceavinfo?$top=10", "deviceavinfo");
      expect(throughFaults.body).toEqual(clean.body);
      expect(events.filter((e) => e.kind === "retry").map((e) => (e.kind === "retry" ? `${e.route}:${e.reason}` : ""))).toEqual([
        "token:HTTP 500",
        "deviceavinfo:HTTP 502",
        expect.stringMatching(/^deviceavinfo:(ECONNRESET|UND_ERR_SOCKET)$/),
        "deviceavinfo:HTTP 429",
      ]);
    });
    expect(limited.requests().map((r) => `${r.route}:${r.status}`)).toEqual(expect.arrayContaining(["token:500", "deviceavinfo:502", "deviceavinfo:429"]));
  });

  it("the export without Vulnerability.Read.All → AUTH_FORBIDDEN with status 403; deviceavinfo still works", async () => {
    await withClient(env, async (client) => {
      const error = await failure(client.getJson("/api/machines/InfoGatheringExport?sasValidHours=6", "export"));
      expect([error.code, error.details.status, error.details.permission]).toEqual([ErrorCodes.AUTH_FORBIDDEN, 403, "Vulnerability.Read.All"]);
      const page = await client.getJson("/api/deviceavinfo?$top=10", "deviceavinfo");
      expect((page.body as { value: unknown[] }).value).toHaveLength(3);
    });
  });
});
