/**
 * The HTML report's charts as inline SVG (no script, no fonts or images to fetch). Each chart is an
 * <svg role="img"> with a <title> and <desc>; each bar is an element of class "bar" with its own <title>
 * giving the exact figures, so the chart reads with a screen reader and on hover. Labels come from rule files
 * and from Defender (RBAC group names), so every one goes through escapeHtml.
 */
import type { AvHealthReport, RbacGroupOutcome, RuleResult } from "../report-model/types";
import { escapeHtml as h } from "./escape";
import { type OutcomeTotals, formatCount, formatPercent, formatThreshold, isEvaluated, outcomeTotals } from "./summary";

const ROW = 28;
const BAR_H = 16;
const TOP = 26;
const BOTTOM = 8;

interface Geometry {
  /** viewBox width; also the largest width the chart is drawn at, so its text never grows past 12px. */
  width: number;
  labelW: number;
  barX: number;
  barW: number;
}

function n(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Roughly how many "narrow character" widths a code point takes: wide (CJK, emoji) ones count twice. */
function units(char: string): number {
  return (char.codePointAt(0) ?? 0) >= 0x1100 ? 2 : 1;
}

/**
 * Cut a label to about `max` narrow characters, by code points so a surrogate pair is never split. The label
 * column is also clipped (see svgOpen), so an unusually wide label is cut at the column edge, not drawn over
 * the bars or off the chart.
 */
function truncate(label: string, max: number): string {
  let used = 0;
  let out = "";
  for (const char of label) {
    used += units(char);
    if (used > max - 1) return `${out}…`;
    out += char;
  }
  return out;
}

interface Row {
  /** Full label text; truncated for display (the bar's <title> carries it whole). */
  label: string;
  /** The row's shapes and value text, drawn at vertical offset y. */
  body: (y: number) => string;
}

/**
 * The frame shared by every chart: title and description, a 0–100% axis, and one row per entry with its label
 * in a clipped left column, so however wide a label renders it never overlaps the bars or leaves the chart.
 */
function chart(id: string, g: Geometry, title: string, desc: string, rows: readonly Row[], labelMax: number): string {
  const height = TOP + rows.length * ROW + BOTTOM;
  const axis = [0, 25, 50, 75, 100]
    .map((p) => {
      const x = g.barX + (g.barW * p) / 100;
      return (
        `<line class="axis" x1="${n(x)}" y1="${TOP - 6}" x2="${n(x)}" y2="${n(height - BOTTOM)}"/>` +
        `<text x="${n(x)}" y="${TOP - 10}" text-anchor="middle" class="muted">${p}%</text>`
      );
    })
    .join("");
  const labels = rows
    .map((row, i) => `<text x="${g.labelW}" y="${n(TOP + i * ROW + BAR_H - 3)}" text-anchor="end">${h(truncate(row.label, labelMax))}</text>`)
    .join("");
  return (
    `<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" style="max-width:${g.width}px" ` +
    `viewBox="0 0 ${g.width} ${n(height)}" width="${g.width}" height="${n(height)}">` +
    `<title id="${id}-title">${h(title)}</title><desc id="${id}-desc">${h(desc)}</desc>` +
    `<defs><clipPath id="${id}-labels"><rect x="0" y="0" width="${g.labelW + 1}" height="${n(height)}"/></clipPath></defs>` +
    axis +
    `<g class="labels" clip-path="url(#${id}-labels)">${labels}</g>` +
    rows.map((row, i) => row.body(TOP + i * ROW)).join("") +
    `</svg>`
  );
}

function valueText(g: Geometry, y: number, content: string): string {
  return `<text class="value" x="${g.barX + g.barW + 8}" y="${n(y + BAR_H - 3)}">${content}</text>`;
}

function track(g: Geometry, y: number): string {
  return `<rect class="track" x="${g.barX}" y="${y}" width="${g.barW}" height="${BAR_H}" rx="2"/>`;
}

function clampPercent(p: number): number {
  return Math.min(100, Math.max(0, p));
}

/** One bar per evaluated rule: percent passing, coloured by status, with the threshold as a dashed marker. */
export function complianceChart(rules: readonly RuleResult[]): string {
  const shown = rules.filter(isEvaluated);
  if (shown.length === 0) return `<p class="muted">No rule was evaluated (every rule is disabled).</p>`;
  const g: Geometry = { width: 800, labelW: 190, barX: 200, barW: 430 };
  const rows = shown.map(
    (rule): Row => ({
      label: rule.id,
      body: (y) => {
        const w = (g.barW * clampPercent(rule.percent)) / 100;
        const tx = g.barX + (g.barW * clampPercent(rule.threshold.minPercent)) / 100;
        const threshold = `threshold ${formatThreshold(rule.threshold)}`;
        const tip = `${rule.id}: ${formatPercent(rule.percent)} passing, ${threshold}, status ${rule.status}`;
        const status = rule.status === "pass" ? "" : ` <tspan class="status">${h(rule.status)}</tspan>`;
        return (
          `<g class="rule-row">${track(g, y)}` +
          `<rect class="bar st-${h(rule.status)}" x="${g.barX}" y="${y}" width="${n(w)}" height="${BAR_H}" rx="2"><title>${h(tip)}</title></rect>` +
          `<line class="threshold" x1="${n(tx)}" y1="${y - 4}" x2="${n(tx)}" y2="${y + BAR_H + 4}"><title>${h(threshold)}</title></line>` +
          valueText(g, y, h(formatPercent(rule.percent)) + status) +
          `</g>`
        );
      },
    }),
  );
  const desc = `Percent of counted devices passing each of ${shown.length} evaluated rules, against each rule's minimum percent (dashed marker).`;
  return chart("chart-compliance", g, "Compliance per rule", desc, rows, 30);
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
  const g: Geometry = { width: 520, labelW: 64, barX: 72, barW: 300 };
  const rows = OUTCOMES.map(
    ([key, label]): Row => ({
      label,
      body: (y) => {
        const share = all === 0 ? 0 : (100 * totals[key]) / all;
        const value = `${formatCount(totals[key])} (${share.toFixed(1)}%)`;
        const tip = `${label}: ${value} of ${formatCount(all)} device-rule outcomes`;
        return (
          track(g, y) +
          `<rect class="bar seg-${key}" x="${g.barX}" y="${y}" width="${n((g.barW * share) / 100)}" height="${BAR_H}" rx="2"><title>${h(tip)}</title></rect>` +
          valueText(g, y, h(value))
        );
      },
    }),
  );
  const desc =
    `Device-rule outcomes over all evaluated rules: ${formatCount(totals.pass)} pass, ${formatCount(totals.fail)} fail, ` +
    `${formatCount(totals.unknown)} unknown, ${formatCount(totals.waived)} waived.`;
  return chart("chart-outcomes", g, "Outcome breakdown", desc, rows, 12);
}

const SEGMENTS: ReadonlyArray<keyof OutcomeTotals> = ["fail", "unknown", "pass", "waived"];

/** One stacked bar per RBAC group (already chosen and ordered worst first), each normalised to the group's outcomes. */
export function rbacChart(groups: readonly RbacGroupOutcome[]): string {
  if (groups.length === 0) return `<p class="muted">No device group has failing or unknown outcomes.</p>`;
  const g: Geometry = { width: 520, labelW: 140, barX: 148, barW: 190 };
  const rows = groups.map(
    (group): Row => ({
      label: group.rbacGroupName,
      body: (y) => {
        const total = group.pass + group.fail + group.unknown + group.waived;
        let x = g.barX;
        const segs = SEGMENTS.map((key) => {
          const w = total === 0 ? 0 : (g.barW * group[key]) / total;
          const seg = `<rect class="seg seg-${key}" x="${n(x)}" y="${y}" width="${n(w)}" height="${BAR_H}"/>`;
          x += w;
          return seg;
        }).join("");
        const tip =
          `${group.rbacGroupName}: ${formatCount(group.fail)} fail, ${formatCount(group.unknown)} unknown, ` +
          `${formatCount(group.pass)} pass, ${formatCount(group.waived)} waived`;
        const figures = `${formatCount(group.fail)} fail · ${formatCount(group.unknown)} unknown / ${formatCount(total)}`;
        return `<g class="bar rbac-group"><title>${h(tip)}</title>${track(g, y)}${segs}${valueText(g, y, h(figures))}</g>`;
      },
    }),
  );
  const desc = `The ${groups.length} RBAC device groups with the most failing or unknown device-rule outcomes, worst first; each bar is split into fail, unknown, pass and waived.`;
  return chart("chart-rbac", g, "Device groups with the most failing or unknown outcomes", desc, rows, 20);
}
