/**
 * startEmulator: certificates and credentials, the fleet, then an HTTPS server on 127.0.0.1 serving Entra ID,
 * the OIDC issuer, the Defender API and the export blobs, until close().
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AvHealthError, ErrorCodes } from "../errors";
import type { EmulatorContext, FleetVersion } from "./context";
import { oidcRequestUrl } from "./entra/oidc";
import { createExportStore } from "./export/store";
import { createFaultPlan } from "./faults";
import { createFleetSource, seedOf } from "./fleet/source";
import { createHandler, newStats } from "./handler";
import { createIdentity, DEFAULT_ROLES, writeFederatedTokenFile } from "./identity";
import { createRateLimiter } from "./rate-limit";
import type { EmulatorOptions, FleetOptions, RunningEmulator } from "./types";

const MINUTE_MS = 60_000;

function checkInteger(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${name} must be an integer from ${min} to ${max} (got ${value}).`);
  }
}

function referenceMs(options: EmulatorOptions, now: () => Date): number {
  if (options.referenceTime !== undefined) {
    const ms = new Date(options.referenceTime).getTime();
    if (Number.isNaN(ms)) throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `referenceTime "${String(options.referenceTime)}" is not a date.`);
    return ms;
  }
  return Math.floor(now().getTime() / MINUTE_MS) * MINUTE_MS;
}

function fleetVersion(fleet: FleetOptions, reference: number, version: number, generatedMs: number): FleetVersion {
  checkInteger("parts", fleet.parts, 1, 1000);
  return {
    source: createFleetSource(fleet, reference),
    version,
    seed: seedOf(fleet),
    parts: fleet.parts ?? 1,
    generatedMs,
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkInteger("port", options.port, 0, 65535);
  const now = options.now ?? (() => new Date());
  const reference = referenceMs(options, now);
  let fleetOptions: FleetOptions = { devices: options.devices, seed: options.seed, fleet: options.fleet, parts: options.parts };
  const initialFleet = fleetVersion(fleetOptions, reference, 1, reference);
  const faults = createFaultPlan(options.faults, seedOf(options));
  const limiter = createRateLimiter(options.rateLimit);

  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "avhealth-emulator-"));
  mkdirSync(dataDir, { recursive: true });
  const identity = await createIdentity(options, dataDir);

  const stats = newStats();
  // Assigned once below, after the server is listening; the handler closure reads it before that.
  // eslint-disable-next-line prefer-const
  let context: EmulatorContext | undefined;
  const server = createServer(
    { key: identity.certs.server.privateKeyPem, cert: `${identity.certs.server.certPem}${identity.certs.ca.certPem}` },
    createHandler(
      () => {
        if (context === undefined) throw new Error("request before the emulator finished starting");
        return context;
      },
      stats,
      options.onError ?? (() => undefined),
    ),
  );
  // Node closes an idle keep-alive socket 5 s after a response is handed to the kernel, which can cut a large
  // blob a busy client is still draining; Azure's front ends keep connections open for minutes.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ctx: EmulatorContext = {
    baseUrl,
    identity,
    roles: options.roles ?? [...DEFAULT_ROLES],
    now,
    nextLink: options.nextLink ?? true,
    slowMs: options.slowMs ?? 2000,
    trickleMs: options.trickleMs ?? 1000,
    fleet: initialFleet,
    exports: createExportStore(dataDir, identity.tenantId),
    faults,
    limiter,
  };
  context = ctx;
  writeFederatedTokenFile(identity, baseUrl, Math.floor(now().getTime() / 1000));

  let closed: Promise<void> | undefined;
  return {
    apiUrl: baseUrl,
    authorityHost: baseUrl,
    tenantId: identity.tenantId,
    clientId: identity.clientId,
    clientSecret: identity.clientSecret,
    caCertPath: identity.files.caCertPath,
    clientCertificatePath: identity.files.clientCertificatePath,
    oidcRequestUrl: oidcRequestUrl(ctx),
    oidcRequestToken: identity.oidcRequestToken,
    federatedTokenFile: identity.files.federatedTokenFile,
    dataDir,
    requestCounts: () => ({ ...stats.counts }),
    requests: () => stats.log.map((entry) => ({ ...entry })),
    setFleet(fleet) {
      const keepsDevices = fleet.devices === undefined && fleet.fleet === undefined;
      fleetOptions = {
        seed: fleet.seed ?? fleetOptions.seed,
        parts: fleet.parts ?? fleetOptions.parts,
        devices: keepsDevices ? fleetOptions.devices : fleet.devices,
        fleet: keepsDevices ? fleetOptions.fleet : fleet.fleet,
      };
      const previous = ctx.fleet;
      // A later snapshot time (at least a minute on) so the new export lands in its own <date>/<HHmm> folder.
      const generatedMs = Math.max(Math.floor(now().getTime() / MINUTE_MS) * MINUTE_MS, previous.generatedMs + MINUTE_MS);
      const reference = options.referenceTime !== undefined ? referenceMs(options, now) : generatedMs;
      ctx.fleet = fleetVersion(fleetOptions, reference, previous.version + 1, generatedMs);
    },
    async prepareExport() {
      await ctx.exports.snapshot(ctx.fleet);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      });
      return closed;
    },
  };
}
