/**
 * The DeviceAvHealth provider's logic, with its collaborators injected (the real ones are wired in impl.ts).
 * It fetches in `check`: policy packs only see registered resources, and whatever check returns becomes the
 * resource's data during preview as well as in state. Nothing is ever written to Defender; delete is local.
 */
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { cacheKey, SnapshotCache, SnapshotFetcher } from "../src/cache";
import type { ConnectionDescription, ConnectionOverrides, Env } from "../src/config";
import { connectionOverrides, firstOf, stackConfigFromEnv, type StackConfigSource } from "../src/config/stack-config";
import { isAvHealthError } from "../src/errors";
import type { FetchSnapshotOptions, FetchSnapshotResult } from "../src/fetch/types";
import { redact, registerSecret } from "../src/util/redact";
import { INPUT_KEYS, OUTPUT_KEYS, UNKNOWN, validateInputs, type FetchSettings } from "./inputs";
import { buildOutputs, type DeviceReader } from "./outputs";
import { createProgressLogger } from "./progress";
import type { DeviceAvHealthOutputs, DeviceAvHealthState } from "./types";

export interface ProviderDeps {
  fetchSnapshot(options: FetchSnapshotOptions & { overrides: ConnectionOverrides; env: Env }): Promise<FetchSnapshotResult>;
  /** resolveConnection + describeConnection: validates the configuration and returns its secret-free identity. */
  describeConnection(overrides: ConnectionOverrides, env: Env): ConnectionDescription;
  readDevices: DeviceReader;
  env: Env;
  cacheDir: string;
  log(line: string): void;
  clock?: () => Date;
}

type Props = Record<string, unknown>;

export interface DeviceAvHealthService {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  /** The same from a provider plugin's configuration (provider/plugin): its values win over PULUMI_CONFIG. */
  configureFrom(config: StackConfigSource): void;
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  delete(id: string, props: Props): Promise<void>;
  /** The fetch itself (shared with getDeviceAvHealth). */
  fetchOutputs(settings: FetchSettings): Promise<DeviceAvHealthOutputs>;
}

export function createDeviceAvHealthService(deps: ProviderDeps): DeviceAvHealthService {
  const clock = deps.clock ?? (() => new Date());
  const fetcher = new SnapshotFetcher(new SnapshotCache(deps.cacheDir, clock, (warning) => deps.log(`warning: ${warning}`)), {}, clock);
  // configure() delivers stack config with secrets decrypted; PULUMI_CONFIG is the fallback for other hosts.
  let stackConfig: StackConfigSource = stackConfigFromEnv(deps.env);

  async function fetchOutputs(settings: FetchSettings): Promise<DeviceAvHealthOutputs> {
    const overrides = connectionOverrides(stackConfig, settings);
    // Registered before anything can fail, so every message of this process is scrubbed of it.
    registerSecret(overrides.clientSecret);
    const key = cacheKey(deps.describeConnection(overrides, deps.env), settings);
    const progress = createProgressLogger(deps.log);
    const started = clock().getTime();
    const { entry, origin } = await fetcher.get(
      key,
      settings.cacheTtlSeconds,
      (outPath) => deps.fetchSnapshot({ overrides, env: deps.env, method: settings.method, filter: settings.filter, outPath, onProgress: progress.listener }),
      {
        onFetch: () => progress.say(`fetching device antivirus health (method ${settings.method}${settings.filter ? ", filtered" : ""})`),
        onWait: () => progress.say("another process is fetching the same fleet; waiting for its snapshot"),
      },
    );
    if (origin === "fetched") {
      const seconds = ((clock().getTime() - started) / 1000).toFixed(1);
      const state = entry.header.complete ? "complete" : "INCOMPLETE";
      progress.say(`fetched ${entry.header.deviceCount} devices by the ${entry.header.method} method in ${seconds}s (${state})`);
    } else {
      progress.say(`reusing the snapshot fetched at ${entry.header.fetchedAt} (${entry.header.deviceCount} devices, cacheTtl ${settings.cacheTtlSeconds}s)`);
    }
    return buildOutputs(entry, settings.includeDevices, deps.readDevices);
  }

  return {
    async configure(req) {
      stackConfig = firstOf({ get: (key) => req.config.get(key) }, stackConfigFromEnv(deps.env));
    },

    configureFrom(config) {
      stackConfig = firstOf(config, stackConfigFromEnv(deps.env));
    },

    async check(_olds, news) {
      const validated = validateInputs(news);
      if (validated.failures.length > 0) return { inputs: validated.inputs, failures: validated.failures };
      if (validated.hasUnknown) {
        // Inputs depend on values not known yet: the data is unknown too, and the policy pack fails closed on it.
        return { inputs: { ...validated.inputs, schemaVersion: UNKNOWN, deviceCount: UNKNOWN, summary: UNKNOWN, snapshot: UNKNOWN } };
      }
      try {
        const outputs = await fetchOutputs(validated.settings);
        return { inputs: { ...validated.inputs, ...outputs } };
      } catch (error) {
        throw providerError(error);
      }
    },

    async diff(_id, olds, news) {
      const changed = (INPUT_KEYS as readonly string[]).filter((key) => !sameValue(olds[key], news[key]));
      const oldSnapshot = snapshotOf(olds);
      const newSnapshot = snapshotOf(news);
      if (oldSnapshot?.digest !== newSnapshot?.digest || oldSnapshot?.complete !== newSnapshot?.complete) changed.push("snapshot");
      if (olds.schemaVersion !== news.schemaVersion) changed.push("schemaVersion");
      if (!sameValue(olds.devices, news.devices)) changed.push("devices");
      return { changes: changed.length > 0 };
    },

    async create(inputs) {
      return { id: `avhealth-${randomUUID()}`, outs: stateOf(inputs) };
    },

    async update(_id, _olds, news) {
      return { outs: stateOf(news) };
    },

    async read(id, props) {
      return { id, props: stateOf(props) };
    },

    async delete() {
      // A data source owns nothing remotely; forgetting the state is all there is to delete.
    },

    fetchOutputs,
  };
}

function snapshotOf(props: Props): { digest?: unknown; complete?: unknown } | undefined {
  const value = props.snapshot;
  return typeof value === "object" && value !== null ? (value as { digest?: unknown; complete?: unknown }) : undefined;
}

function stateOf(props: Props): Partial<DeviceAvHealthState> {
  const state: Props = {};
  for (const key of [...INPUT_KEYS, ...OUTPUT_KEYS]) if (props[key] !== undefined) state[key] = props[key];
  return state as Partial<DeviceAvHealthState>;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * An error the engine prints as the resource's failure: the code, a message that says what to do, no secrets,
 * and no stack trace (the dynamic provider host prints `${error}: ${error.stack}`).
 */
export function providerError(error: unknown): Error {
  const text = isAvHealthError(error)
    ? `${error.message} [${error.code}]`
    : error instanceof Error
      ? error.message
      : String(error);
  const result = new Error(redact(`DeviceAvHealth: ${text}`));
  result.stack = "";
  return result;
}
