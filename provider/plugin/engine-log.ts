/**
 * Progress lines of the plugin as engine log messages. A provider plugin's stderr reaches the engine only as
 * debug diagnostics (hidden unless `--debug`), while the dynamic provider's progress shows in the normal output;
 * sending the lines through the engine's Log service at info severity gives the plugin the same output. Without
 * an engine address, or when the engine refuses a line, it goes to stderr as before.
 */
import { engineProtoOfPulumi, engineServiceOfPulumi, grpcOfPulumi } from "./pulumi-internals";

/** The engine address among the plugin's arguments, read as `@pulumi/pulumi/provider`'s `main` reads it. */
export function engineAddress(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--tracing") i += 1;
    else if (arg !== "--logtostderr" && !arg.startsWith("-v=")) return arg;
  }
  return undefined;
}

export function createEngineLog(address: string | undefined, fallback: (line: string) => void): (line: string) => void {
  if (address === undefined) return fallback;
  const { EngineClient } = engineServiceOfPulumi();
  const { LogRequest, LogSeverity } = engineProtoOfPulumi();
  const client = new EngineClient(address, grpcOfPulumi().credentials.createInsecure());
  return (line) => {
    const request = new LogRequest();
    request.setSeverity(LogSeverity.INFO);
    request.setMessage(line);
    client.log(request, (error) => {
      if (error) fallback(line);
    });
  };
}
