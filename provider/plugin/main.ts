/**
 * Entry of the `pulumi-resource-avhealth` plugin (bin/pulumi-resource-avhealth.js): one DeviceAvHealth service
 * per plugin process, configured from the provider's configuration (stack config `avhealth:*`), served by
 * `@pulumi/pulumi/provider`'s `main`.
 */
import { main } from "@pulumi/pulumi/provider";
import { packageInfo } from "../../src/util/package-info";
import { getService } from "../impl";
import { installConfigureHook } from "./configure-hook";
import { createPluginProvider } from "./provider";
import { schemaText } from "./schema";

export async function serve(args: string[]): Promise<void> {
  const service = getService();
  const { version } = packageInfo();
  installConfigureHook((config) => service.configureFrom(config));
  await main(createPluginProvider(service, version, schemaText(version)), args);
}
