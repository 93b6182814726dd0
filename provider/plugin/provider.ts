/**
 * The `avhealth` provider plugin's resource and function handlers: the DeviceAvHealth service of the dynamic
 * provider (same validation, fetch in `check`, cache, credentials and bounded outputs) behind the Provider
 * interface of `@pulumi/pulumi/provider`, plus `getDeviceAvHealth` as an invoke.
 */
import type * as provider from "@pulumi/pulumi/provider";
import { validateInputs } from "../inputs";
import { providerError, type DeviceAvHealthService } from "../service";
import { FUNCTION_TOKEN, RESOURCE_TOKEN } from "./schema";

type Props = Record<string, unknown>;

export function createPluginProvider(service: DeviceAvHealthService, version: string, schema: string): provider.Provider {
  const resourceOnly = (urn: string) => {
    const type = urn.split("::")[2] ?? "";
    if (type !== RESOURCE_TOKEN) throw new Error(`avhealth: unknown resource type ${type}; this provider serves ${RESOURCE_TOKEN}`);
  };
  return {
    version,
    schema,
    async check(urn, olds: Props, news: Props) {
      resourceOnly(urn);
      return service.check(olds ?? {}, news ?? {});
    },
    async diff(id, urn, olds: Props, news: Props) {
      resourceOnly(urn);
      return service.diff(id, olds, news);
    },
    async create(urn, inputs: Props) {
      resourceOnly(urn);
      return service.create(inputs);
    },
    async update(id, urn, olds: Props, news: Props) {
      resourceOnly(urn);
      return service.update(id, olds, news);
    },
    async read(id, urn, props?: Props) {
      resourceOnly(urn);
      return service.read(id, props ?? {});
    },
    async delete(id, urn, props: Props) {
      resourceOnly(urn);
      await service.delete(id, props);
    },
    async invoke(token, args: Props) {
      if (token !== FUNCTION_TOKEN) throw new Error(`avhealth: unknown function ${token}; this provider serves ${FUNCTION_TOKEN}`);
      const validated = validateInputs(args ?? {});
      if (validated.failures.length > 0) return { failures: validated.failures };
      if (validated.hasUnknown) return { failures: [{ property: "", reason: "an argument is not known yet; getDeviceAvHealth needs known arguments" }] };
      try {
        return { outputs: await service.fetchOutputs(validated.settings) };
      } catch (error) {
        throw providerError(error);
      }
    },
  };
}
