/**
 * The HTML report's charts as inline SVG (no script, no fonts or images to fetch). Each chart is an
 * <svg role="img"> with a <title> and <desc>; each bar is an element of class "bar" with its own <title>
 * giving the exact figures, so the chart reads with a screen reader and on hover. Labels come from rule files
 * and from Defender (RBAC group names), so every one goes through escapeHtml.
 */
import type { AvHealthReport, RbacGroupOutcome, RuleResult } from "../report/types";
import { escapeHtml as h } from "./escape";
import { type OutcomeTotals, formatCount, formatPercent, formatThreshold, isEvaluated, outcomeTotals } from "./summary";

const WIDTH = 760;
const ROW = 28;
const BAR_H = 16;
const TOP = 26;
const BOTTOM = 8;

interface Geometry {
  labelW: number;
  barX: number;
  barW: number;
}

function n(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Cut a label to fit its column, by code points so a surrogate pair is never split. */
function truncate(label: string, max: number): string {
  const chars = Array.from(label);
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join("")}…`;
}

function svgOpen(id: string, height: number, title: string, desc: string): string {
  return (
    `<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `viewBox="0 0 ${WIDTH} ${n(height)}" width="${WIDTH}" height="${n(height)}">` +
    `<title id="${id}-title">${h(title)}</title><desc id="${id}-desc">${h(desc)}</desc>`
  );
}

function rowLabel(g: Geometry, y: number, label: string, max: number): string {
  return `<text x="${g.labelW}" y="${n(y + BAR_H - 3)}" text-anchor="end">${h(truncate(label, max))}</text>`;
}

function percentAxis(g: Geometry, height: number): string {
  return [0, 25, 50, 75, 100]
    .map((p) => {
      const x = g.barX + (g.barW * p) / 100;
      return (
        `<line class="axis" x1="${n(x)}" y1="${TOP - 6}" x2="${n(x)}" y2="${n(height - BOTTOM)}"/>` +
        `<text x="${n(x)}" y="${TOP - 10}" text-anchor="middle" class="muted">${p}%</text>`
      );
    })
    .join("");
}

/** One bar per evaluated rule: percent passing, coloured by status, with the threshold as a dashed marker. */
export function complianceChart(rules: readonly RuleResult[]): string {
  const shown = rules.filter(isEvaluated);
  if (shown.length === 0) return `<p class="muted">No rule was evaluated (every rule is disabled).</p>`;
  const g: Geometry = { labelW: 200, barX: 212, barW: 470 };
  const height = TOP + shown.length * ROW + BOTTOM;
  const rows = shown.map((rule, i) => {
    const y = TOP + i * ROW;
    const w = (g.barW * Math.min(100, Math.max(0, rule.percent))) / 100;
    const tx = g.barX + (g.barW * Math.min(100, Math.max(0, rule.threshold.minPercent))) / 100;
    const tip = `${rule.id}: ${formatPercent(rule.percent)} passing, threshold ${formatThreshold(rule.threshold)}, status ${rule.status}`;
    return (
      `<g class="rule-row">` +
      rowLabel(g, y, rule.id, 30) +
      `<rect class="track" x="${g.barX}" y="${y}" width="${g.barW}" height="${BAR_H}" rx="2"/>` +
      `<rect class="bar st-${h(rule.status)}" x="${g.barX}" y="${y}" width="${n(w)}" height="${BAR_H}" rx="2"><title>${h(tip)}</title></rect>` +
      `<line class="threshold" x1="${n(tx)}" y1="${y - 4}" x2="${n(tx)}" y2="${y + BAR_H + 4}"><title>${h(`threshold ${formatThreshold(rule.threshold)}`)}</title></line>` +
      `<text class="value" x="${g.barX + g.barW + 8}" y="${n(y + BAR_H - 3)}">${h(formatPercent(rule.percent))}</text>` +
      `</g>`
    );
  });
  return (
    svgOpen(
      "chart-compliance",
      height,
      "Compliance per rule",
      `Percent of counted devices passing each of ${shown.length} evaluated rules, against each rule's minimum percent (dashed marker).`,
    ) +
    percentAxis(g, height) +
    rows.join("") +
    `</svg>`
  );
}

const OUTCOMES: ReadonlyArray<readonly [keyof OutcomeTotals, string]> = [
  ["pass", "Pass"],
  ["fail", "Fail"],
  ["unknown", "Unknown"],
  ["waived", "Waived"],
];

/** Four bars: device-rule outcomes summed over the evaluated rules, each as its share of all outcomes. */
export function outcomeChart(report: AvHealthReport): string {
  const totals = outcomeTotals(report);
  const all = totals.pass + totals.fail + totals.unknown + totals.waived;
  const g: Geometry = { labelW: 90, barX: 102, barW: 470 };
  const height = TOP + OUTCOMES.length * ROW + BOTTOM;
  const rows = OUTCOMES.map(([key, label], i) => {
    const y = TOP + i * ROW;
    const share = all === 0 ? 0 : (100 * totals[key]) / all;
    const value = `${formatCount(totals[key])} (${share.toFixed(1)}%)`;
    return (
      rowLabel(g, y, label, 12) +
      `<rect class="track" x="${g.barX}" y="${y}" width="${g.barW}" height="${BAR_H}" rx="2"/>` +
      `<rect class="bar seg-${key}" x="${g.barX}" y="${y}" width="${n((g.barW * share) / 100)}" height="${BAR_H}" rx="2"><title>${h(`${label}: ${value} of ${formatCount(all)} device-rule outcomes`)}</title></rect>` +
      `<text class="value" x="${g.barX + g.barW + 8}" y="${n(y + BAR_H - 3)}">${h(value)}</text>`
    );
  });
  return (
    svgOpen(
      "chart-outcomes",
      height,
      "Outcome breakdown",
      `Device-rule outcomes over all evaluated rules: ${formatCount(totals.pass)} pass, ${formatCount(totals.fail)} fail, ` +
        `${formatCount(totals.unknown)} unknown, ${formatCount(totals.waived)} waived.`,
    ) +
    percentAxis(g, height) +
    rows.join("") +
    `</svg>`
  );
}

const SEGMENTS: ReadonlyArray<keyof OutcomeTotals> = ["fail", "unknown", "pass", "waived"];

/** One stacked bar per RBAC group (already chosen and ordered worst first), each normalised to the group's outcomes. */
export function rbacChart(groups: readonly RbacGroupOutcome[]): string {
  if (groups.length === 0) return `<p class="muted">No device group has failing or unknown outcomes.</p>`;
  const g: Geometry = { labelW: 190, barX: 202, barW: 360 };
  const height = TOP + groups.length * ROW + BOTTOM;
  const rows = groups.map((group, i) => {
    const y = TOP + i * ROW;
    const total = group.pass + group.fail + group.unknown + group.waived;
    let x = g.barX;
    const segs = SEGMENTS.map((key) => {
      const w = total === 0 ? 0 : (g.barW * group[key]) / total;
      const seg = `<rect class="seg seg-${key}" x="${n(x)}" y="${y}" width="${n(w)}" height="${BAR_H}"/>`;
      x += w;
      return seg;
    }).join("");
    const figures = `${formatCount(group.fail)} fail, ${formatCount(group.unknown)} unknown of ${formatCount(total)}`;
    const tip = `${group.rbacGroupName}: ${figures} (${formatCount(group.pass)} pass, ${formatCount(group.waived)} waived)`;
    return (
      `<g class="bar rbac-group"><title>${h(tip)}</title>` +
      rowLabel(g, y, group.rbacGroupName, 28) +
      `<rect class="track" x="${g.barX}" y="${y}" width="${g.barW}" height="${BAR_H}"/>` +
      segs +
      `<text class="value" x="${g.barX + g.barW + 8}" y="${n(y + BAR_H - 3)}">${h(figures)}</text>` +
      `</g>`
    );
  });
  return (
    svgOpen(
      "chart-rbac",
      height,
      "Device groups with the most failing or unknown outcomes",
      `The ${groups.length} RBAC device groups with the most failing or unknown device-rule outcomes, worst first; each bar is split into fail, unknown, pass and waived.`,
    ) +
    percentAxis(g, height) +
    rows.join("") +
    `</svg>`
  );
}
