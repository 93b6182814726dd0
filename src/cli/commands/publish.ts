import * as fs from "node:fs";
import * as path from "node:path";
import { AvHealthError, ErrorCodes } from "../../errors";
import { DEFAULT_EXPIRES, DEFAULT_KEEP, publishSnapshot, requireDuration } from "../../publication";
import { loadPrivateKey, type SigningKey } from "../../signing";
import { readSnapshot } from "../../snapshot";
import { registerSecret } from "../../util/redact";
import { choiceFlag, parseFlags, requireFlag, stringFlag } from "../args";
import { ExitCode } from "../exit-codes";
import { line, type CliIo } from "../io";
import { cloudFlag, openCliStore } from "../publication-args";
import { renderSummary } from "../summary";
import { fetchWithProgress, METHOD_CHOICES } from "./fetch";
import { privateTempDir } from "../../util/private-dir";

export async function publishCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags("publish", argv, {
    to: { type: "string" },
    key: { type: "string" },
    expires: { type: "string" },
    keep: { type: "string" },
    method: { type: "string" },
    filter: { type: "string" },
    out: { type: "string" },
    snapshot: { type: "string" },
    cloud: { type: "string" },
  });
  if (stringFlag(flags, "filter") !== undefined) {
    throw new AvHealthError(ErrorCodes.USAGE, "avhealth publish: --filter is refused: a publication stands for the whole tenant, and gates judge it as such.");
  }
  const store = openCliStore("publish", requireFlag("publish", flags, "to"), io);
  if (!store.writable) {
    throw new AvHealthError(ErrorCodes.STORE_READ_ONLY, `avhealth publish: ${store.location} is a plain https location, which avhealth can only read: publish to a directory or an Azure Blob URL.`);
  }
  const expiresMs = requireDuration(stringFlag(flags, "expires") ?? DEFAULT_EXPIRES, "avhealth publish --expires");
  const keep = keepFlag(stringFlag(flags, "keep"));
  const cloud = cloudFlag("publish", flags, io.env);
  // The key first: a missing or bad key should not cost a fetch.
  const key = signingKey(stringFlag(flags, "key"), io);
  const method = choiceFlag("publish", flags, "method", METHOD_CHOICES, "auto");

  const given = stringFlag(flags, "snapshot");
  let snapshotPath: string;
  if (given !== undefined) {
    snapshotPath = path.resolve(io.cwd, given);
    // A file not fetched by this run is read whole first: its set digest and count must hold before it is signed.
    const opened = await readSnapshot(snapshotPath);
    for await (const device of opened.devices()) void device;
  } else {
    const outArg = stringFlag(flags, "out");
    const outPath = outArg ? path.resolve(io.cwd, outArg) : path.join(privateTempDir("avhealth-publish-"), "snapshot.ndjson.gz");
    const fetched = await fetchWithProgress(io, { method, filter: undefined, outPath });
    line(io.stderr, renderSummary(fetched.header, fetched.summary, fetched.path, io.stderrIsTTY));
    snapshotPath = fetched.path;
    if (!fetched.header.complete) {
      line(io.stderr, `avhealth publish: the snapshot is incomplete, so nothing was published; the previous publication at ${store.location} stays in place. Fix what the summary names and run again.`);
      return ExitCode.INCOMPLETE;
    }
  }
  const { header } = await readSnapshot(snapshotPath);
  const result = await publishSnapshot({ store, snapshotPath, header, cloud, key, expiresMs, keep, log: (text) => line(io.stderr, text) });
  const p = result.statement.predicate;
  line(io.stdout, `published ${store.location}/latest.dsse.json: tenant ${p.tenantId} (${p.cloud}), ${p.deviceCount} devices, fetched ${p.fetchedAt}, expires ${p.expiresAt}, keyid ${result.keyid}`);
  return ExitCode.OK;
}

function keepFlag(text: string | undefined): number {
  if (text === undefined) return DEFAULT_KEEP;
  const n = Number(text);
  if (!/^[0-9]{1,4}$/.test(text) || n < 1) throw new AvHealthError(ErrorCodes.USAGE, `avhealth publish: --keep must be a whole number of at least 1 (got "${text}").`);
  return n;
}

function signingKey(file: string | undefined, io: CliIo): SigningKey {
  if (file !== undefined) {
    const resolved = path.resolve(io.cwd, file);
    let pem: string;
    try {
      pem = fs.readFileSync(resolved, "utf8");
    } catch (cause) {
      throw new AvHealthError(ErrorCodes.SIGNING_KEY_INVALID, `avhealth publish --key: cannot read ${resolved}: ${(cause as NodeJS.ErrnoException).code ?? "error"}.`, { cause });
    }
    registerSecret(pem.trim());
    return loadPrivateKey(pem, `--key ${file}`);
  }
  const text = io.env.AVHEALTH_SIGNING_KEY;
  if (text === undefined || text.trim() === "") {
    throw new AvHealthError(ErrorCodes.USAGE, "avhealth publish: no signing key: pass --key FILE or set AVHEALTH_SIGNING_KEY to the private key's PEM text (a CI secret). Make one with `avhealth keygen`.");
  }
  registerSecret(text.trim());
  return loadPrivateKey(text, "AVHEALTH_SIGNING_KEY");
}
