import type { ServerResponse } from "node:http";
import { authenticate, MACHINE_READ, VULNERABILITY_READ } from "../../src/emulator/api/auth";
import type { EmulatorContext } from "../../src/emulator/context";
import type { Exchange } from "../../src/emulator/http";
import { newKeyPair } from "../../src/emulator/tls";
import { signJwt } from "../../src/emulator/jwt";

/** authenticate() against a hand-built context, for token shapes the token endpoint never issues. */
describe("API token checks", () => {
  const now = 1_740_830_400;
  let context: EmulatorContext;
  beforeAll(async () => {
    const tokenKey = { ...(await newKeyPair()), kid: "k1" };
    context = { identity: { tokenKey, tenantId: "t1" }, now: () => new Date(now * 1000) } as unknown as EmulatorContext;
  });

  function call(claims: Record<string, unknown>, permission = MACHINE_READ): { status: number; code: unknown; caller: unknown } {
    const token = signJwt({ aud: "https://api.securitycenter.microsoft.com", tid: "t1", appid: "app", exp: now + 600, ...claims }, context.identity.tokenKey.privateKey, { kid: "k1" });
    let status = 0;
    let body = "";
    const res = {
      writeHead(code: number) {
        status = code;
        return res;
      },
      end(payload: Buffer) {
        body = payload.toString("utf8");
      },
    };
    const ex = { req: { headers: { authorization: `Bearer ${token}` } }, res: res as unknown as ServerResponse, url: new URL("https://x/"), requestId: "r1" } as unknown as Exchange;
    const caller = authenticate(context, ex, permission);
    return { status, code: body === "" ? undefined : (JSON.parse(body) as { error: { code: string } }).error.code, caller };
  }

  it.each<[string, Record<string, unknown>, typeof MACHINE_READ, number, string | undefined]>([
    ["an app token with the role", { roles: ["Machine.Read.All"] }, MACHINE_READ, 0, undefined],
    ["a delegated token with the scope", { scp: "User.Read Machine.Read" }, MACHINE_READ, 0, undefined],
    ["a delegated token for files", { scp: "Vulnerability.Read" }, VULNERABILITY_READ, 0, undefined],
    ["another audience", { aud: "https://api.security.microsoft.com", roles: ["Machine.Read.All"] }, MACHINE_READ, 403, "Forbidden"],
    ["an audience list without the API", { aud: ["https://graph.microsoft.com"], roles: ["Machine.Read.All"] }, MACHINE_READ, 403, "Forbidden"],
    ["another tenant", { tid: "t2", roles: ["Machine.Read.All"] }, MACHINE_READ, 401, "Unauthorized"],
    ["no exp", { exp: undefined, roles: ["Machine.Read.All"] }, MACHINE_READ, 401, "Unauthorized"],
    ["an expired token", { exp: now - 301, roles: ["Machine.Read.All"] }, MACHINE_READ, 401, "Unauthorized"],
    ["the wrong role", { roles: ["Machine.Read.All"] }, VULNERABILITY_READ, 403, "Forbidden"],
  ])("%s", (_name, claims, permission, status, code) => {
    const result = call(claims, permission);
    expect([result.status, result.code]).toEqual([status, code]);
    expect(result.caller === null).toBe(status !== 0);
  });
});
