import * as fs from "node:fs/promises";
import * as path from "node:path";
import { AvHealthError, ErrorCodes } from "../../errors";
import { formatAge } from "../../publication";
import { nowFlag, parseFlags, stringFlag } from "../args";
import { ExitCode } from "../exit-codes";
import { line, type CliIo } from "../io";
import { PUBLICATION_FLAGS, verifyFromFlags } from "../publication-args";

export async function verifyCommand(argv: string[], io: CliIo, clock: () => Date = () => new Date()): Promise<number> {
  const flags = parseFlags("verify", argv, { ...PUBLICATION_FLAGS, out: { type: "string" }, now: { type: "string" } }, 1);
  const location = flags.positionals[0];
  if (location === undefined) throw new AvHealthError(ErrorCodes.USAGE, "avhealth verify: give the LOCATION to verify. Run `avhealth verify --help`.");
  const verified = await verifyFromFlags("verify", location, flags, io, nowFlag("verify", flags, clock), true);
  const out = stringFlag(flags, "out");
  if (out !== undefined) await fs.copyFile(verified.snapshotPath, path.resolve(io.cwd, out));
  line(io.stdout, JSON.stringify({ location: verified.location, keyid: verified.keyid, subject: verified.statement.subject[0], predicate: verified.predicate }, null, 2));
  line(
    io.stderr,
    `avhealth verify: OK: signed by keyid ${verified.keyid}, tenant ${verified.predicate.tenantId}, ${verified.predicate.deviceCount} devices, fetched at ${verified.predicate.fetchedAt} (${formatAge(verified.ageMs)} ago)` +
      (out === undefined ? "" : `; snapshot written to ${out}`),
  );
  return ExitCode.OK;
}
