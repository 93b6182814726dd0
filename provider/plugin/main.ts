/**
 * Entry of the `pulumi-resource-avhealth` plugin (bin/pulumi-resource-avhealth): one DeviceAvHealth service per
 * plugin process (the dynamic provider's, with the real collaborators), configured from the provider's
 * configuration (stack config `avhealth:*`), its progress sent to the engine log, served by
 * `@pulumi/pulumi/provider`'s `main`.
 */
import { main } from "@pulumi/pulumi/provider";
import { packageInfo } from "../../src/util/package-info";
import { realProviderDeps } from "../deps";
import { createDeviceAvHealthService } from "../service";
import { installConfigureHook } from "./configure-hook";
import { createEngineLog, engineAddress } from "./engine-log";
import { createPluginProvider } from "./provider";
import { schemaText } from "./schema";

export async function serve(args: string[]): Promise<void> {
  const deps = realProviderDeps();
  const service = createDeviceAvHealthService({ ...deps, log: createEngineLog(engineAddress(args), deps.log) });
  const { version } = packageInfo();
  installConfigureHook((config) => service.configureFrom(config));
  await main(createPluginProvider(service, version, schemaText(version)), args);
}
