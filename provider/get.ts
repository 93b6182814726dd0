/**
 * getDeviceAvHealth(): the same snapshot as the resource, as a plain async function for program logic. It runs
 * in the program's process, with the same credentials (stack config `avhealth:*`, then the environment) and the
 * same on-disk cache, so a program that uses both fetches once.
 */
import type { DeviceAvHealthInputs, DeviceAvHealthResult } from "./types";

export async function getDeviceAvHealth(args: DeviceAvHealthInputs = {}): Promise<DeviceAvHealthResult> {
  // Loaded on first use so that programs which only declare the resource do not load the fetch stack.
  const [{ getService }, { validateInputs }, { providerError }] = await Promise.all([import("./impl"), import("./inputs"), import("./service")]);
  const validated = validateInputs(args as Record<string, unknown>);
  if (validated.failures.length > 0) {
    const problems = validated.failures.map((failure) => `${failure.property}: ${failure.reason}`).join("; ");
    throw providerError(new Error(`invalid arguments to getDeviceAvHealth: ${problems}`));
  }
  try {
    return await getService().fetchOutputs(validated.settings);
  } catch (error) {
    throw providerError(error);
  }
}
