/**
 * Types and readers for the engine events `pulumi ... --event-log FILE` writes: one JSON object per line,
 * each with `sequence`, `timestamp` and exactly one `<kind>Event` member. Only the members the e2e tests read
 * are typed; the rest stay `unknown` and can be narrowed where a test needs them.
 */
import { readFileSync, existsSync } from "fs";

/** A policy violation (or remediation) reported by a policy pack. */
export interface PolicyEvent {
  resourceUrn?: string;
  message: string;
  color?: string;
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  policyPackVersionTag?: string;
  enforcementLevel: string;
  severity?: string;
}

/** One engine event; `kind` names the member that was present (e.g. "policyEvent", "summaryEvent"). */
export interface EngineEvent {
  sequence: number;
  timestamp: number;
  kind: string;
  /** The event's own payload (the value of its `<kind>` member). */
  payload: unknown;
  /** The whole line as parsed, for assertions on members not typed here. */
  raw: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses an event log; a missing file (the command failed before the engine started) gives no events. */
export function readEventLog(file: string): EngineEvent[] {
  if (!existsSync(file)) {
    return [];
  }
  const events: EngineEvent[] = [];
  for (const [index, line] of readFileSync(file, "utf8").split("\n").entries()) {
    if (line.trim() === "") {
      continue;
    }
    const parsed: unknown = JSON.parse(line);
    if (!isRecord(parsed)) {
      throw new Error(`${file}:${index + 1}: event is not a JSON object`);
    }
    const kind = Object.keys(parsed).find((k) => k.endsWith("Event")) ?? "unknown";
    events.push({
      sequence: typeof parsed.sequence === "number" ? parsed.sequence : -1,
      timestamp: typeof parsed.timestamp === "number" ? parsed.timestamp : 0,
      kind,
      payload: parsed[kind],
      raw: parsed,
    });
  }
  return events;
}

function isPolicyEvent(value: unknown): value is PolicyEvent {
  return (
    isRecord(value) &&
    typeof value.policyName === "string" &&
    typeof value.policyPackName === "string" &&
    typeof value.message === "string" &&
    typeof value.enforcementLevel === "string"
  );
}

/** The policyEvent payloads of a run, optionally only those of one policy. */
export function policyEvents(events: EngineEvent[], policyName?: string): PolicyEvent[] {
  return events
    .filter((e) => e.kind === "policyEvent")
    .map((e) => e.payload)
    .filter(isPolicyEvent)
    .filter((p) => policyName === undefined || p.policyName === policyName);
}

/** Which stack policies of one pack passed and failed in a run (event kind policyAnalyzeStackSummaryEvent). */
export interface StackPolicySummary {
  policyPackName: string;
  policyPackVersion: string;
  passed: string[];
  failed: string[];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * The stack-policy summaries of a run: the engine's own record that a pack's stack policies ran, so a test can
 * tell "passed" from "never consulted". `pulumi up` logs only the update pass, not its preview pass.
 */
export function stackPolicySummaries(events: EngineEvent[]): StackPolicySummary[] {
  return events
    .filter((e) => e.kind === "policyAnalyzeStackSummaryEvent")
    .map((e) => e.payload)
    .filter(isRecord)
    .map((p) => ({
      policyPackName: typeof p.policyPackName === "string" ? p.policyPackName : "",
      policyPackVersion: typeof p.policyPackVersion === "string" ? p.policyPackVersion : "",
      passed: stringList(p.passed),
      failed: stringList(p.failed),
    }));
}

/** The payloads of every event of one kind, e.g. eventsOfKind(events, "summaryEvent"). */
export function eventsOfKind(events: EngineEvent[], kind: string): unknown[] {
  return events.filter((e) => e.kind === kind).map((e) => e.payload);
}
