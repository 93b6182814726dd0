/**
 * Checks a client_assertion the way Entra does for the two kinds the project uses:
 *  - a certificate assertion (MSAL's: RS256 or PS256, x5t or x5t#S256 naming the registered certificate,
 *    aud = the token endpoint, iss = sub = client id);
 *  - a federated token (GitHub Actions / workload identity): issued by the emulator's OIDC issuer, signed with
 *    its key, aud api://AzureADTokenExchange.
 * Returns null when accepted, or the AADSTS code and description to answer with.
 */
import type { EmulatorContext } from "../context";
import { nowSeconds } from "../context";
import { FEDERATED_AUDIENCE, oidcIssuer } from "../identity";
import { decodeJwt, hasAudience, timeProblem, verifySignature, type DecodedJwt } from "../jwt";
import { tokenEndpoint } from "./discovery";

export interface AssertionProblem {
  aadsts: number;
  description: string;
}

function timeCheck(context: EmulatorContext, jwt: DecodedJwt): AssertionProblem | null {
  const problem = timeProblem(jwt.claims, nowSeconds(context));
  if (problem === null) return null;
  return { aadsts: 700024, description: `Client assertion is not within its valid time range (${problem}).` };
}

function checkCertificateAssertion(context: EmulatorContext, jwt: DecodedJwt): AssertionProblem | null {
  const cert = context.identity.certs.client;
  const thumbprintMatches = jwt.header.x5t === cert.x5t || jwt.header["x5t#S256"] === cert.x5tS256;
  if (!thumbprintMatches) {
    return {
      aadsts: 700027,
      description: "The certificate with identifier used to sign the client assertion is not registered on application.",
    };
  }
  if (!verifySignature(jwt, cert.publicKey)) {
    return { aadsts: 700027, description: "Client assertion contains an invalid signature." };
  }
  const expectedAudience = tokenEndpoint(context).toLowerCase();
  const aud = typeof jwt.claims.aud === "string" ? jwt.claims.aud.toLowerCase() : "";
  if (aud !== expectedAudience) {
    return { aadsts: 700021, description: "Client assertion audience claim does not match Realm issuer." };
  }
  const clientId = context.identity.clientId.toLowerCase();
  if (String(jwt.claims.iss).toLowerCase() !== clientId || String(jwt.claims.sub).toLowerCase() !== clientId) {
    return { aadsts: 700023, description: "Client assertion issuer and subject must be the client id of the application." };
  }
  return timeCheck(context, jwt);
}

function checkFederatedToken(context: EmulatorContext, jwt: DecodedJwt): AssertionProblem | null {
  if (jwt.claims.iss !== oidcIssuer(context.baseUrl)) {
    return {
      aadsts: 700211,
      description: `No matching federated identity record found for presented assertion issuer '${String(jwt.claims.iss).slice(0, 100)}'.`,
    };
  }
  if (jwt.header.kid !== context.identity.oidcKey.kid || !verifySignature(jwt, context.identity.oidcKey.publicKey)) {
    return { aadsts: 700027, description: "Client assertion contains an invalid signature." };
  }
  if (!hasAudience(jwt.claims, FEDERATED_AUDIENCE)) {
    return { aadsts: 700212, description: "No matching federated identity record found for presented assertion audience." };
  }
  return timeCheck(context, jwt);
}

export function checkClientAssertion(context: EmulatorContext, assertion: string): AssertionProblem | null {
  const jwt = decodeJwt(assertion);
  if (jwt === null) return { aadsts: 50027, description: "JWT token is invalid or malformed." };
  if (jwt.header.alg !== "RS256" && jwt.header.alg !== "PS256") {
    return { aadsts: 5002738, description: `The signing algorithm '${String(jwt.header.alg)}' is not supported.` };
  }
  const isCertificate = jwt.header.x5t !== undefined || jwt.header["x5t#S256"] !== undefined;
  return isCertificate ? checkCertificateAssertion(context, jwt) : checkFederatedToken(context, jwt);
}
