/**
 * settings.fleet.signed: the location a gate reads publications from, the public keys it trusts, and maxAge.
 * Each is checked here, at load time, with a located problem: a key that is not a PEM Ed25519/P-256 public key,
 * a location that is not an https URL (a directory is taken relative to the rule file), a location carrying a query (a SAS belongs
 * in AVHEALTH_STORE_SAS or the stack secret avhealth:storeSas, never in a rule file), a bad duration.
 */
import type { SignedPins } from "../../config/types";
import { isAvHealthError } from "../../errors";
import { parsePublicationDuration, PUBLICATION_DURATION_HINT } from "../../publication/duration";
import { DEFAULT_MAX_AGE } from "../../publication/types";
import { loadPublicKey } from "../../signing/keys";
import { describeLocation, parseLocation } from "../../store/location";
import type { ProblemCollector } from "../load/problems";

const AT = ["settings", "fleet", "signed"] as const;

/** The pins, null when absent, undefined when they have problems (already reported). */
export function compileSignedPins(raw: unknown, baseDir: string, problems: ProblemCollector): SignedPins | null | undefined {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  let ok = true;
  const fail = (where: readonly (string | number)[], message: string) => {
    problems.add([...AT, ...where], message);
    ok = false;
  };

  let from = "";
  if (typeof r.from === "string" && r.from !== "") {
    from = r.from.trim();
    try {
      const location = parseLocation(from, baseDir, "settings.fleet.signed.from");
      if (location.kind !== "directory" && location.query !== null) {
        fail(["from"], "must not carry a query: a SAS belongs in the environment (AVHEALTH_STORE_SAS) or the stack secret avhealth:storeSas, never in a rule file");
      } else from = location.kind === "directory" ? location.dir : describeLocation(location);
    } catch (error) {
      if (!isAvHealthError(error)) throw error;
      fail(["from"], error.message);
    }
  } else ok = false;

  const keys: { pem: string; keyid: string }[] = [];
  if (Array.isArray(r.keys)) {
    r.keys.forEach((pem: unknown, i) => {
      if (typeof pem !== "string" || pem === "") return void (ok = false);
      try {
        keys.push({ pem, keyid: loadPublicKey(pem, `settings.fleet.signed.keys[${i}]`).keyid });
      } catch (error) {
        if (!isAvHealthError(error)) throw error;
        fail(["keys", i], error.message);
      }
    });
  } else ok = false;

  const maxAgeText = typeof r.maxAge === "string" ? r.maxAge : DEFAULT_MAX_AGE;
  const maxAgeMs = parsePublicationDuration(maxAgeText);
  // The schema pass reports a maxAge of the wrong shape; only a zero duration is left to report here.
  if (maxAgeMs === null && /^0+[mhdw]$/.test(maxAgeText)) fail(["maxAge"], `must be longer than 0: ${PUBLICATION_DURATION_HINT}`);

  return ok && maxAgeMs !== null ? { from, keys, maxAgeMs } : undefined;
}
