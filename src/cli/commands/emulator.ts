import { runEmulatorCli } from "../../emulator/cli";
import type { CliIo } from "../io";

/** The emulator owns its flags (`avhealth emulator --help`); it runs until SIGINT/SIGTERM. */
export function emulatorCommand(argv: string[], io: CliIo): Promise<number> {
  return runEmulatorCli(argv, io);
}
