/** Runs `avhealth` in-process with captured output, as the CLI tests need it. */
import { PassThrough } from "node:stream";
import { runCli } from "../../src/cli/main";
import type { CliIo } from "../../src/cli/io";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runAvhealth(argv: string[], options: { env?: NodeJS.ProcessEnv; cwd: string }): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on("data", (c: Buffer) => chunks.stdout.push(c));
  stderr.on("data", (c: Buffer) => chunks.stderr.push(c));
  const io: CliIo = { stdout, stderr, stdoutIsTTY: false, stderrIsTTY: false, env: options.env ?? {}, cwd: options.cwd };
  const code = await runCli(argv, io);
  return { code, stdout: Buffer.concat(chunks.stdout).toString("utf8"), stderr: Buffer.concat(chunks.stderr).toString("utf8") };
}
