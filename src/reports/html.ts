/**
 * The HTML report: one self-contained page (inline CSS, inline SVG charts, no script at all) that makes no
 * network request. The Content-Security-Policy forbids every fetch and every script, so even a string that
 * escaped escaping could not run or phone home.
 */
import type { EvaluationResult } from "../report-model/types";
import { escapeHtml as h } from "./escape";
import { fullDataFiles, fullDataNote } from "./full-data";
import { changesHtml } from "./html-changes";
import { complianceChart, outcomeChart, rbacChart } from "./html-charts";
import { HTML_STYLE } from "./html-style";
import { trendSection } from "./html-trend";
import { exceptionsTable, failingDevicesSections, rulesTable } from "./html-tables";
import { formatCount, gateSentence, statusCounts, worstRbacGroups } from "./summary";

export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function header(result: EvaluationResult): string {
  const { report } = result;
  const snap = report.snapshot;
  const facts: Array<readonly [string, string]> = [
    ["Evaluated at", report.evaluatedAt],
    ["Rules file", result.rulesFile],
    ["Devices", formatCount(snap.deviceCount)],
    ["Snapshot", `${snap.method}, ${snap.complete ? "complete" : "INCOMPLETE"}${snap.generatedTime === null ? "" : `, generated ${snap.generatedTime}`}`],
    ["Digest", snap.digest],
    ...(snap.publication === undefined
      ? []
      : ([["Signed publication", `${snap.publication.location}, keyid ${snap.publication.keyid.slice(0, 16)}…, fetched ${snap.publication.fetchedAt}, expires ${snap.publication.expiresAt}`]] as const)),
  ];
  const gate = report.gate === "pass" ? "pass" : "fail";
  return (
    `<header class="top"><div><h1>Defender antivirus health</h1>` +
    `<p>${h(gateSentence(report))}</p>` +
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${h(k)}</dt><dd${k === "Digest" ? ' class="mono"' : ""}>${h(v)}</dd>`).join("")}</dl></div>` +
    `<div class="gate gate-${gate}" id="gate" role="status">Gate: ${gate.toUpperCase()}</div></header>` +
    (snap.complete
      ? ""
      : `<p class="banner" role="alert"><strong>The snapshot is incomplete.</strong> Every rule is indeterminate and the gate fails closed; fetch again before trusting these figures.</p>`)
  );
}

function cards(result: EvaluationResult): string {
  const counts = statusCounts(result.report);
  const items: Array<readonly [string, number]> = [
    ["Rules passed", counts.pass],
    ["Rules failed", counts.fail],
    ["Indeterminate", counts.indeterminate],
    ["Disabled", counts.disabled],
    ["Exceptions", result.report.exceptions.length],
  ];
  return `<div class="cards">${items
    .map(([label, value]) => `<div class="card"><div class="n">${formatCount(value)}</div><div class="l">${h(label)}</div></div>`)
    .join("")}</div>`;
}

const LEGEND =
  `<div class="legend"><span><span class="swatch sw-pass" aria-hidden="true"></span>pass</span><span><span class="swatch sw-fail" aria-hidden="true"></span>fail</span>` +
  `<span><span class="swatch sw-unknown" aria-hidden="true"></span>unknown / indeterminate</span><span><span class="swatch sw-waived" aria-hidden="true"></span>waived</span>` +
  `<span><span class="swatch sw-threshold" aria-hidden="true"></span>threshold</span></div>`;

function charts(result: EvaluationResult): string {
  const figure = (title: string, body: string): string =>
    `<figure><figcaption>${h(title)}</figcaption>${body}</figure>`;
  return (
    `<section aria-labelledby="h-charts"><h2 id="h-charts">Charts</h2><div class="charts">` +
    figure("Compliance per rule", complianceChart(result.report.rules) + LEGEND) +
    `<div class="charts two">` +
    figure("Outcome breakdown (device × rule)", outcomeChart(result.report)) +
    figure("Worst device groups", rbacChart(worstRbacGroups(result.rbacGroups))) +
    `</div></div></section>`
  );
}

function fullDataFooter(result: EvaluationResult): string {
  const files = fullDataFiles(result);
  return files.length === 0 ? "" : ` Full data: ${files.map(h).join(" and ")}.`;
}

export function renderHtml(result: EvaluationResult): string {
  const { report } = result;
  const title = `Defender AV health: gate ${report.gate === "pass" ? "PASS" : "FAIL"} (${report.evaluatedAt})`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${h(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    "</head>",
    "<body><main>",
    header(result),
    cards(result),
    charts(result),
    ...trendSection(result),
    `<section aria-labelledby="h-rules"><h2 id="h-rules">Rules</h2>${rulesTable(report)}</section>`,
    changesHtml(report),
    `<section aria-labelledby="h-failing"><h2 id="h-failing">Failing devices</h2>${failingDevicesSections(report, fullDataNote(result))}</section>`,
    `<section aria-labelledby="h-exceptions"><h2 id="h-exceptions">Exceptions</h2>${exceptionsTable(report)}</section>`,
    `<footer>Generated by avhealth from snapshot ${h(report.snapshot.digest)}.${fullDataFooter(result)}</footer>`,
    "</main></body>",
    "</html>",
    "",
  ].join("\n");
}
