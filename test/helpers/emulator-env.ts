/** The environment a user would export from the emulator's start-up line (client-secret credentials by default). */
import type { RunningEmulator } from "../../src/emulator";

/** What the emulator prints on its start-up line. */
export type EmulatorCoordinates = Pick<RunningEmulator, "tenantId" | "clientId" | "clientSecret" | "apiUrl" | "authorityHost" | "caCertPath">;

export function emulatorEnv(emulator: EmulatorCoordinates, credential?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    AZURE_TENANT_ID: emulator.tenantId,
    AZURE_CLIENT_ID: emulator.clientId,
    AVHEALTH_API_URL: emulator.apiUrl,
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    AVHEALTH_CA_FILE: emulator.caCertPath,
    ...(credential ?? { AZURE_CLIENT_SECRET: emulator.clientSecret }),
  };
}
