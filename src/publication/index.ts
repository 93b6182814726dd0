/** Signed publications of fleet snapshots: publish, fetch with local copies, verify. */
export { checkFreshness, checkScope } from "./checks";
export { formatAge, parsePublicationDuration, PUBLICATION_DURATION_HINT, requireDuration } from "./duration";
export { LocalCopies } from "./local-copy";
export { publishSnapshot, type PublishOptions, type PublishResult } from "./publish";
export { buildStatement, parseStatement } from "./statement";
export * from "./types";
export { sha256File, verifyPublication, type VerifyPublicationOptions } from "./verify";
