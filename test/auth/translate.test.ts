import { ClientAuthError, ClientConfigurationError, ServerError } from "@azure/msal-node";
import { translateAuthError } from "../../src/auth";
import { AvHealthError, ErrorCodes, type ErrorCode } from "../../src/errors";
import { registerSecret } from "../../src/util/redact";

registerSecret("translate-canary-9911");

describe("translateAuthError", () => {
  it.each<[string, unknown, ErrorCode, string | null]>([
    ["bad secret", new ServerError("invalid_client", "corr-1", "AADSTS7000215: Invalid client secret provided. translate-canary-9911"), ErrorCodes.AUTH_FAILED, "AADSTS7000215"],
    ["unknown app", new ServerError("unauthorized_client", "corr-1", "AADSTS700016: Application with identifier 'x' was not found"), ErrorCodes.AUTH_FAILED, "AADSTS700016"],
    ["bad assertion", new ServerError("invalid_client", "corr-1", "AADSTS700027: Client assertion contains an invalid signature."), ErrorCodes.AUTH_FAILED, "AADSTS700027"],
    ["server error without AADSTS", new ServerError("temporarily_unavailable", "corr-1", "try later"), ErrorCodes.AUTH_FAILED, null],
    ["network", new ClientAuthError("network_error", "corr-1", "Network request failed"), ErrorCodes.HTTP_NETWORK, null],
    ["configuration", new ClientConfigurationError("invalid_authority", "corr-1"), ErrorCodes.AUTH_MISSING_CONFIG, null],
    ["plain error", new Error("boom translate-canary-9911"), ErrorCodes.AUTH_FAILED, null],
    ["a thrown string", "weird", ErrorCodes.AUTH_FAILED, null],
  ])("%s → %s", (_name, error, code, aadsts) => {
    const translated = translateAuthError(error, { credentialKind: "secret" });
    expect(translated.code).toBe(code);
    if (aadsts !== null) expect(translated.details.aadsts).toBe(aadsts);
    expect(`${translated.message}\n${String(translated.cause)}`).not.toContain("translate-canary-9911");
  });

  it("AADSTS7000215 advice names AZURE_CLIENT_SECRET", () => {
    const translated = translateAuthError(new ServerError("invalid_client", "corr-1", "AADSTS7000215: Invalid client secret provided."), { credentialKind: "secret" });
    expect(translated.message).toContain("AZURE_CLIENT_SECRET");
  });

  it("an AvHealthError passes through; a recorded underlying error wins over MSAL's wrapper", () => {
    const own = new AvHealthError(ErrorCodes.AUTH_MISSING_CONFIG, "x");
    expect(translateAuthError(own, { credentialKind: "secret" })).toBe(own);
    const underlying = new AvHealthError(ErrorCodes.HTTP_RETRIES_EXHAUSTED, "y");
    expect(translateAuthError(new ClientAuthError("network_error", "corr-1"), { credentialKind: "secret", underlying })).toBe(underlying);
  });
});
