/**
 * The HTML report's only stylesheet, inlined into the page (the CSP allows inline styles and nothing that
 * loads). System fonts only; colours pass WCAG AA on white and every status is also written as a word, so the
 * page reads in greyscale print too.
 */
export const HTML_STYLE = `
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --unknown: #9a6700; --waived: #6e7781; --track: #eaeef2;
  --accent: #0969da;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif;
}
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 24px 0 8px; }
p { margin: 6px 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace; font-size: 0.92em; }
.muted { color: var(--muted); }
header.top { display: flex; flex-wrap: wrap; gap: 16px 24px; align-items: center; justify-content: space-between;
  padding-bottom: 16px; border-bottom: 1px solid var(--line); }
.gate { font-size: 20px; font-weight: 700; padding: 8px 18px; border-radius: 8px; letter-spacing: .04em; border: 2px solid; }
.gate-pass { color: var(--pass); border-color: var(--pass); background: #dafbe1; }
.gate-fail { color: var(--fail); border-color: var(--fail); background: #ffebe9; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 12px 0 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.banner { margin: 16px 0; padding: 10px 14px; border-radius: 6px; border: 1px solid #d4a72c; background: #fff8c5; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin: 20px 0 4px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--panel); }
.card .n { font-size: 26px; font-weight: 700; line-height: 1.2; }
.card .l { color: var(--muted); }
.charts { display: grid; grid-template-columns: 1fr; gap: 18px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; fill: var(--ink); }
svg.chart text.muted { fill: var(--muted); }
svg.chart .axis { stroke: var(--line); stroke-width: 1; }
svg.chart .track { fill: var(--track); }
svg.chart .threshold { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 3 2; }
svg.chart .st-pass, svg.chart .seg-pass { fill: var(--pass); }
svg.chart .st-fail, svg.chart .seg-fail { fill: var(--fail); }
svg.chart .st-indeterminate, svg.chart .seg-unknown { fill: var(--unknown); }
svg.chart .seg-waived { fill: var(--waived); }
svg.chart .value { font-weight: 600; }
svg.chart .status { font-weight: 400; fill: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin-top: 6px; color: var(--muted); font-size: 12.5px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.sw-pass { background: var(--pass); } .sw-fail { background: var(--fail); }
.sw-unknown { background: var(--unknown); } .sw-waived { background: var(--waived); }
.sw-threshold { background: none; border-left: 2px dashed var(--ink); width: 2px; border-radius: 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 13px; }
caption { text-align: left; padding: 4px 0 6px; color: var(--muted); }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); border-bottom: 2px solid var(--line); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.device, td.reason, td.text { white-space: pre-wrap; overflow-wrap: anywhere; }
td.device { font-weight: 600; }
.nowrap { white-space: nowrap; }
th.rule { min-width: 200px; font-weight: 400; }
th.rule code { font-weight: 600; white-space: nowrap; }
th.rule .sub { white-space: pre-wrap; overflow-wrap: anywhere; }
.sub { display: block; color: var(--muted); font-size: 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid; white-space: nowrap; }
.b-pass, .b-active { color: var(--pass); border-color: var(--pass); }
.b-fail, .b-expired { color: var(--fail); border-color: var(--fail); }
.b-indeterminate, .b-unused, .b-unknown { color: var(--unknown); border-color: var(--unknown); }
.b-disabled { color: var(--waived); border-color: var(--waived); }
.blocks { color: var(--fail); font-size: 12px; font-weight: 600; }
.more { margin: 4px 0 0; color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media (min-width: 900px) { .charts.two { grid-template-columns: 1fr 1fr; } }
@media print {
  main { max-width: none; padding: 0; }
  body { font-size: 11px; }
  h2 { break-after: avoid; }
  tr, figure { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 10px; }
  th, td { padding: 4px 5px; }
  thead th { white-space: normal; }
  td code { word-break: break-all; }
  .gate, .badge, .swatch, svg.chart rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
