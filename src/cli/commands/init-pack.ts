import { runInitPackCli } from "../../initpack";
import type { CliIo } from "../io";

export function initPackCommand(argv: string[], io: CliIo): Promise<number> {
  return runInitPackCli(argv, io);
}
