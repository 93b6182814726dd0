/** The one-screen summary `avhealth fetch` prints. */
import type { SnapshotHeader, SnapshotSummary, TriStateCounts } from "../snapshot/types";
import { paint, printable } from "./table";

function counts(record: Record<string, number>, limit = 8): string {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = entries.slice(0, limit).map(([k, v]) => `${printable(k)} ${v}`);
  if (entries.length > limit) shown.push(`… ${entries.length - limit} more`);
  return shown.join(", ") || "none";
}

function tri(c: TriStateCounts): string {
  return `up to date ${c.true}, out of date ${c.false}, unknown ${c.unknown}`;
}

export function renderSummary(header: SnapshotHeader, summary: SnapshotSummary, file: string, colour: boolean): string {
  const status = header.complete ? paint("complete", "green", colour) : paint("INCOMPLETE", "red", colour);
  const lines = [
    `snapshot   ${file}`,
    `devices    ${header.deviceCount} (${status}), method ${header.method}${header.source.methodReason ? `: ${header.source.methodReason}` : ""}`,
    `generated  ${header.generatedTime ?? "n/a"}, fetched ${header.fetchedAt}`,
    `digest     ${header.digest}`,
    `avMode     ${counts(summary.byAvMode)}`,
    `signatures ${tri(summary.bySignatureUpToDate)}`,
    `engine     ${tri(summary.byEngineUpToDate)}`,
    `platform   ${tri(summary.byPlatformUpToDate)}`,
    `OS         ${counts(summary.byOsKind)}`,
    `groups     ${counts(summary.byRbacGroup)}`,
    `stale      ${summary.stale} (no data for 7 days)`,
  ];
  for (const reason of header.incompleteReasons ?? []) lines.push(paint(`incomplete: ${printable(reason)}`, "red", colour));
  return lines.join("\n");
}
