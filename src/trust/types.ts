/** What the gate's entrance decides once, before any I/O, and hands down to the layers that do the I/O. */
import type { FleetPins, SignedPins } from "../config/types";

/**
 * The TLS trust of a pinned fetch: exactly these CA certificates (Node's bundled roots plus the rule file's
 * caFiles), with certificate verification on whatever the process environment says.
 */
export interface TlsTrust {
  readonly ca: readonly string[];
  /** The rule file's CA files, for messages. */
  readonly caFiles: readonly string[];
}

/**
 * Where the gate's fleet comes from.
 * - `stack`: no pins; the stack's resources and config decide, as the fleet source says.
 * - `pinned-fetch`: the rule file pins the fleet; the pack fetches it itself, trusting only the pins.
 * - `signed`: the rule file pins signed publications (settings.fleet.signed); the pack reads and verifies the
 *   newest one and never calls the Defender API.
 */
export type GateSource =
  | { readonly kind: "stack" }
  | {
      readonly kind: "pinned-fetch";
      readonly pins: FleetPins;
      readonly tls: TlsTrust;
      /** Settings of the stack or environment that touch the source and were ignored, by name. */
      readonly ignored: readonly string[];
    }
  | {
      readonly kind: "signed";
      readonly pins: FleetPins;
      readonly signed: SignedPins;
      /** For an https store: Node's roots plus the rule file's caFiles. */
      readonly tls: TlsTrust;
      readonly ignored: readonly string[];
    };
