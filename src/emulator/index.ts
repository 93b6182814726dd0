/** The Defender API + Entra ID emulator (`avhealth emulator --help`): importable, and `avhealth emulator`. */
export { startEmulator } from "./start";
export { runEmulatorCli } from "./cli";
export { toFileRecord, toFileLine } from "./export/file-shape";
export { parseFilter, matches } from "./odata/filter";
export { ODataSyntaxError } from "./odata/lexer";
export { parseFaultSpec, FAULT_KINDS } from "./faults";
export { parseRateLimitSpec, DEFAULT_RATE_LIMITS } from "./rate-limit";
export { API_AUDIENCE, API_SCOPE, DEFAULT_ROLES, FEDERATED_AUDIENCE } from "./identity";
export type { FaultKind, FaultRule } from "./faults";
export type { FilterNode } from "./odata/filter";
export type {
  ApiDeviceRecord,
  CountedRoute,
  EmulatorOptions,
  FleetOptions,
  LimitedRoute,
  LoggedRoute,
  RateLimitConfig,
  RateWindow,
  RequestLogEntry,
  RunningEmulator,
} from "./types";
