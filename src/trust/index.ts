export { decideGateSource, ignoredSettings } from "./entrance";
export { pinnedTlsTrust } from "./tls";
export type { GateSource, TlsTrust } from "./types";
