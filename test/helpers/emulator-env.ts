/** The environment a user would export from the emulator's start-up line (client-secret credentials by default). */
export interface EmulatorCoordinates {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  apiUrl: string;
  authorityHost: string;
  caCertPath: string;
}

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
