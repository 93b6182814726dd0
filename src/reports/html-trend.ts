/**
 * The HTML report's trend: each evaluated rule's percent over the last 30 history entries, as a small inline
 * SVG line chart with the rule's current threshold as a dashed line. Only present when the history is given
 * (check --history, the pack's AVHEALTH_HISTORY). Like the other charts: no script, nothing fetched, every
 * label escaped, exact figures in each point's <title>.
 */
import type { HistoryEntry } from "../history/types";
import type { EvaluationResult, RuleResult } from "../report-model/types";
import { escapeHtml as h } from "./escape";
import { formatPercent, isEvaluated } from "./summary";

export const HTML_TREND_ENTRIES = 30;

const W = 520;
const H = 150;
const LEFT = 46;
const RIGHT = 16;
const TOP = 12;
const BOTTOM = 28;
/** Same blue as the page's accent; presentation attributes keep the stylesheet untouched. */
const LINE = 'fill="none" stroke="#0969da" stroke-width="2" stroke-linejoin="round"';

function n(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

interface Point {
  index: number;
  entry: HistoryEntry;
  percent: number;
  status: "pass" | "fail";
}

/** The y range: down to a multiple of 5 below the lowest figure or the threshold, so small slides show. */
function yRange(points: readonly Point[], threshold: number): [number, number] {
  const lowest = Math.min(threshold, ...points.map((p) => p.percent));
  const lo = Math.max(0, Math.floor((lowest - 0.5) / 5) * 5);
  return [lo === 100 ? 95 : lo, 100];
}

/** Runs of consecutive evaluated entries: an indeterminate or missing entry breaks the line. */
function runs(points: readonly Point[]): Point[][] {
  const out: Point[][] = [];
  for (const point of points) {
    const run = out[out.length - 1];
    const previous = run?.[run.length - 1];
    if (run !== undefined && previous !== undefined && previous.index === point.index - 1) run.push(point);
    else out.push([point]);
  }
  return out;
}

function ruleChart(rule: RuleResult, entries: readonly HistoryEntry[]): string {
  const points: Point[] = [];
  entries.forEach((entry, index) => {
    const r = entry.rules[rule.id];
    if (r !== undefined && (r.status === "pass" || r.status === "fail")) points.push({ index, entry, percent: r.percent, status: r.status });
  });
  const caption = `<figcaption><code>${h(rule.id)}</code></figcaption>`;
  if (points.length === 0) {
    return `<figure class="trend" data-rule="${h(rule.id)}" data-points="0">${caption}<p class="muted">No evaluated figures in the history yet.</p></figure>`;
  }
  const threshold = rule.threshold.minPercent;
  const [lo, hi] = yRange(points, threshold);
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const x = (index: number): number => LEFT + (entries.length === 1 ? plotW / 2 : (plotW * index) / (entries.length - 1));
  const y = (percent: number): number => TOP + (plotH * (hi - Math.min(hi, Math.max(lo, percent)))) / (hi - lo);
  const id = `trend-${rule.id}`;
  const grid = [lo, (lo + hi) / 2, hi]
    .map((p) => `<line class="axis" x1="${LEFT}" y1="${n(y(p))}" x2="${W - RIGHT}" y2="${n(y(p))}"/><text class="muted" x="${LEFT - 6}" y="${n(y(p) + 4)}" text-anchor="end">${n(p)}%</text>`)
    .join("");
  const thresholdLine = `<line class="threshold" x1="${LEFT}" y1="${n(y(threshold))}" x2="${W - RIGHT}" y2="${n(y(threshold))}"><title>${h(`threshold ${threshold}%`)}</title></line>`;
  const lines = runs(points)
    .filter((run) => run.length > 1)
    .map((run) => `<polyline class="trend-line" ${LINE} points="${run.map((p) => `${n(x(p.index))},${n(y(p.percent))}`).join(" ")}"/>`)
    .join("");
  const marks = points
    .map((p) => `<circle class="point st-${p.status}" cx="${n(x(p.index))}" cy="${n(y(p.percent))}" r="3.5"><title>${h(`${p.entry.evaluatedAt}: ${formatPercent(p.percent)} (${p.status})`)}</title></circle>`)
    .join("");
  const first = entries[0] as HistoryEntry;
  const last = entries[entries.length - 1] as HistoryEntry;
  const dates =
    `<text class="muted" x="${LEFT}" y="${H - 8}">${h(first.evaluatedAt.slice(0, 10))}</text>` +
    `<text class="muted" x="${W - RIGHT}" y="${H - 8}" text-anchor="end">${h(last.evaluatedAt.slice(0, 10))}</text>`;
  const from = points[0] as Point;
  const to = points[points.length - 1] as Point;
  const desc = `${rule.id} over the last ${entries.length} evaluations: from ${formatPercent(from.percent)} to ${formatPercent(to.percent)}; threshold ${threshold}%.`;
  return (
    `<figure class="trend" data-rule="${h(rule.id)}" data-points="${points.length}">${caption}` +
    `<svg class="chart" id="${h(id)}" role="img" aria-labelledby="${h(id)}-title ${h(id)}-desc" style="max-width:${W}px" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">` +
    `<title id="${h(id)}-title">${h(`${rule.id}: percent passing per evaluation`)}</title><desc id="${h(id)}-desc">${h(desc)}</desc>` +
    grid + thresholdLine + lines + marks + dates +
    `</svg></figure>`
  );
}

/** The "Trend" section as the page's one part, or no part without a history (the page is then unchanged). */
export function trendSection(result: EvaluationResult): string[] {
  const history = result.history;
  if (history === undefined || history.length === 0) return [];
  const entries = history.slice(-HTML_TREND_ENTRIES);
  const rules = result.report.rules.filter(isEvaluated);
  const body = rules.length === 0 ? `<p class="muted">No rule was evaluated (every rule is disabled).</p>` : rules.map((rule) => ruleChart(rule, entries)).join("");
  return [
    `<section aria-labelledby="h-trend"><h2 id="h-trend">Trend</h2>` +
      `<p class="muted">Percent passing over the last ${entries.length} evaluation${entries.length === 1 ? "" : "s"} of the history; the dashed line is the rule's threshold.</p>` +
      `<div class="charts two">${body}</div></section>`,
  ];
}
