import * as fs from "node:fs";
import * as path from "node:path";
import { AvHealthError, ErrorCodes } from "../../errors";
import { generateKeyPair, KEY_TYPES } from "../../signing";
import { choiceFlag, parseFlags, requireFlag } from "../args";
import { ExitCode } from "../exit-codes";
import { line, type CliIo } from "../io";

export const PRIVATE_KEY_FILE = "avhealth-signing.key";
export const PUBLIC_KEY_FILE = "avhealth-signing.pub";

export async function keygenCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags("keygen", argv, { out: { type: "string" }, type: { type: "string" } });
  const dir = path.resolve(io.cwd, requireFlag("keygen", flags, "out"));
  const type = choiceFlag("keygen", flags, "type", KEY_TYPES, "ed25519");
  const pair = generateKeyPair(type);
  const privatePath = path.join(dir, PRIVATE_KEY_FILE);
  const publicPath = path.join(dir, PUBLIC_KEY_FILE);
  for (const file of [privatePath, publicPath]) {
    if (fs.existsSync(file)) throw new AvHealthError(ErrorCodes.USAGE, `avhealth keygen: ${file} exists, and keygen never overwrites a key: choose another --out directory.`);
  }
  fs.mkdirSync(dir, { recursive: true });
  // "wx": fail rather than replace a file that appeared meanwhile; the private key is readable by its owner only.
  fs.writeFileSync(privatePath, pair.privatePem, { flag: "wx", mode: 0o600 });
  fs.writeFileSync(publicPath, pair.publicPem, { flag: "wx", mode: 0o644 });
  line(io.stdout, pair.publicPem.trimEnd());
  line(io.stdout, `keyid: ${pair.keyid}`);
  line(io.stderr, `avhealth keygen: wrote ${publicPath} (pin it in settings.fleet.signed.keys) and ${privatePath} (${type}; keep it secret, e.g. as the CI secret AVHEALTH_SIGNING_KEY).`);
  return ExitCode.OK;
}
