/**
 * Steps 3 and 4 of verification: the statement is about the pinned tenant and cloud, is complete, and is fresh
 * (not from the future beyond clock skew, not older than maxAge, not past its own expiresAt).
 */
import { AvHealthError, ErrorCodes } from "../errors";
import { formatAge } from "./duration";
import { CLOCK_SKEW_MS, type FleetSnapshotPredicate, type PublicationPins } from "./types";

export function checkScope(predicate: FleetSnapshotPredicate, pins: PublicationPins, where: string): void {
  if (predicate.tenantId.toLowerCase() !== pins.tenantId.toLowerCase()) {
    throw new AvHealthError(
      ErrorCodes.PUBLICATION_TENANT_MISMATCH,
      `${where} is a publication for tenant ${predicate.tenantId}, but the gate pins tenant ${pins.tenantId}: point the gate at the location that publishes tenant ${pins.tenantId}.`,
      { details: { location: where, tenantId: predicate.tenantId } },
    );
  }
  if (predicate.cloud !== pins.cloud) {
    throw new AvHealthError(
      ErrorCodes.PUBLICATION_CLOUD_MISMATCH,
      `${where} is a publication for cloud ${predicate.cloud}, but the gate pins cloud ${pins.cloud}: fix settings.fleet.cloud or the publisher's cloud.`,
      { details: { location: where, cloud: predicate.cloud } },
    );
  }
  if (!predicate.complete) {
    throw new AvHealthError(ErrorCodes.PUBLICATION_INCOMPLETE, `${where} describes an incomplete snapshot, and a gate never passes on partial data: let the publisher publish a complete one.`, {
      details: { location: where },
    });
  }
}

/** Returns the age (now − fetchedAt) in ms. */
export function checkFreshness(predicate: FleetSnapshotPredicate, pins: PublicationPins, now: Date, where: string): number {
  const fetchedAt = Date.parse(predicate.fetchedAt);
  const expiresAt = Date.parse(predicate.expiresAt);
  const age = now.getTime() - fetchedAt;
  if (fetchedAt > now.getTime() + CLOCK_SKEW_MS) {
    throw new AvHealthError(
      ErrorCodes.PUBLICATION_FROM_FUTURE,
      `${where} says it was fetched at ${predicate.fetchedAt}, ${formatAge(-age)} after this machine's clock (${now.toISOString()}): fix the clock of the publisher or of this machine.`,
      { details: { location: where, fetchedAt: predicate.fetchedAt } },
    );
  }
  if (age > pins.maxAgeMs) {
    throw new AvHealthError(
      ErrorCodes.PUBLICATION_STALE,
      `${where} was fetched at ${predicate.fetchedAt}, ${formatAge(age)} ago, more than maxAge ${formatAge(pins.maxAgeMs)}: the publisher has stopped publishing. ` +
        "Check the scheduled publish job (its last runs and the signing key), then run the gate again.",
      { details: { location: where, fetchedAt: predicate.fetchedAt, ageMs: age } },
    );
  }
  if (now.getTime() > expiresAt) {
    throw new AvHealthError(
      ErrorCodes.PUBLICATION_EXPIRED,
      `${where} expired at ${predicate.expiresAt} (it was fetched at ${predicate.fetchedAt}): the publisher has not published since. Check the scheduled publish job, then run the gate again.`,
      { details: { location: where, expiresAt: predicate.expiresAt } },
    );
  }
  return age;
}
