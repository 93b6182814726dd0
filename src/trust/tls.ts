/** The TLS trust of a pinned gate: Node's bundled roots plus the CA files its rule file names, nothing else. */
import { rootCertificates } from "node:tls";
import type { FleetPins } from "../config/types";
import type { TlsTrust } from "./types";

export function pinnedTlsTrust(pins: FleetPins): TlsTrust {
  // rootCertificates is the bundled Mozilla store: NODE_EXTRA_CA_CERTS never reaches it.
  return { ca: [...rootCertificates, ...pins.caCertificates], caFiles: pins.caFiles };
}
