/**
 * Provider configuration for a plugin served by `@pulumi/pulumi/provider`'s `main`. That server answers
 * `Configure` without handing the configuration to the provider object (its Provider interface has no
 * `configure`), so the stack config `avhealth:*` would never arrive. This hook wraps the server's `configure`
 * handler when `main` registers the ResourceProvider service: it reads the request's variables (keyed
 * `avhealth:config:<name>`, secrets already decrypted by the engine) and passes them on, then lets the original
 * handler answer. The grpc-js and proto modules are the ones @pulumi/pulumi itself loads.
 */
import type { StackConfigSource } from "../../src/config/stack-config";
import { grpcOfPulumi, providerServiceOfPulumi } from "./pulumi-internals";

interface StringMap {
  forEach(callback: (value: string, key: string) => void): void;
}
interface ConfigureCall {
  request: { getVariablesMap(): StringMap };
}
type Handler = (call: ConfigureCall, callback: unknown) => void;
type Implementation = Record<string, unknown>;

let installed = false;

/** Calls `onConfigure` with the provider's configuration each time the engine configures the plugin. */
export function installConfigureHook(onConfigure: (config: StackConfigSource) => void): void {
  if (installed) throw new Error("the configure hook is already installed");
  installed = true;
  const grpc = grpcOfPulumi();
  const ResourceProviderService = providerServiceOfPulumi();
  const original = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function addService(service, implementation) {
    if (service !== ResourceProviderService) return original.call(this, service, implementation);
    const configure = implementation.configure as Handler;
    const wrapped: Implementation = Object.create(implementation) as Implementation;
    wrapped.configure = function (this: Implementation, call: ConfigureCall, callback: unknown) {
      onConfigure(configFromVariables(call.request.getVariablesMap()));
      configure.call(this, call, callback);
    };
    return original.call(this, service, wrapped);
  };
}

/** `avhealth:config:clientSecret` → `avhealth:clientSecret`, the full keys the service reads. */
export function configFromVariables(variables: StringMap): StackConfigSource {
  const values = new Map<string, string>();
  variables.forEach((value, key) => {
    const match = /^([^:]+):config:(.+)$/.exec(key);
    values.set(match ? `${match[1]}:${match[2]}` : key, value);
  });
  return {
    get: (key) => {
      const value = values.get(key);
      return value !== undefined && value.trim() !== "" ? value : undefined;
    },
  };
}
