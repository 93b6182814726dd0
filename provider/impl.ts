/**
 * The provider's run-time entry, loaded by the serialized provider with
 * `require("pulumi-defender-avhealth/provider/impl")`. One service per process: the stack config delivered to
 * `configure` and the in-flight fetches are shared by every DeviceAvHealth resource the process serves.
 */
import { realProviderDeps } from "./deps";
import { createDeviceAvHealthService, type DeviceAvHealthService } from "./service";

let service: DeviceAvHealthService | undefined;

export function getService(): DeviceAvHealthService {
  service ??= createDeviceAvHealthService(realProviderDeps());
  return service;
}
