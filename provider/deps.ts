/** The real collaborators of the provider: the library's fetch, snapshot reader and connection config. */
import { describeConnection, resolveConnection } from "../src/config";
import { fetchSnapshotWithConfig } from "../src/fetch";
import { readSnapshot } from "../src/snapshot";
import { defaultCacheDir } from "../src/cache";
import type { ProviderDeps } from "./service";

export function realProviderDeps(env: NodeJS.ProcessEnv = process.env): ProviderDeps {
  return {
    fetchSnapshot: (options) => fetchSnapshotWithConfig(options),
    describeConnection: (overrides, connectionEnv) => describeConnection(resolveConnection({ overrides, env: connectionEnv })),
    async *readDevices(snapshotPath) {
      const snapshot = await readSnapshot(snapshotPath);
      yield* snapshot.devices();
    },
    env,
    cacheDir: defaultCacheDir(env),
    log: (line) => {
      process.stderr.write(`${line}\n`);
    },
  };
}
