/** Stack config as the engine hands it to plugins: PULUMI_CONFIG, a JSON object keyed by `namespace:key`. */
import type { Env } from "./types";

export function readStackConfig(env: Env, key: string): string | undefined {
  const raw = env.PULUMI_CONFIG;
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const value = (parsed as Record<string, unknown>)[key];
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  } catch {
    // Malformed PULUMI_CONFIG holds nothing usable; the other sources of the setting still apply.
    return undefined;
  }
}
