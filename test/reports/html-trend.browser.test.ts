/**
 * The HTML report's trend charts in headless Chromium (as html.browser.test.ts, which this follows): the
 * charts render where they should, the points sit on the drawn line, nothing is fetched and nothing runs.
 * Without Chromium this test fails, it never skips.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { writeReports } from "../../src/reports";
import { openInChromium } from "./fixtures/chromium";
import { makeEntries } from "../history/fixtures";
import { makeEvaluation, makeRule } from "./fixtures/evaluation";

const SCREENSHOT = path.resolve(__dirname, "../../test-artifacts/report-trend.png");

let browser: Browser | undefined;
let page: Page;
let dir: string;
let fileUrl: string;
let requests: string[];
let consoleErrors: string[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "avhealth-html-trend-"));
  const rules = [makeRule({ id: "signatures-current", threshold: { minPercent: 90, maxFailing: null } }), makeRule({ id: "active-mode" })];
  const written = await writeReports(makeEvaluation({ rules }, { history: makeEntries(40) }), { dir, formats: ["html"] });
  ({ browser, page, fileUrl, requests, consoleErrors } = await openInChromium(written.html));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("HTML trend charts in Chromium", () => {
  it("load with no console error and request nothing but the file itself", () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });

  it("draw one chart per rule, 30 visible points each, two side by side", async () => {
    expect(await page.locator("#h-trend").textContent()).toBe("Trend");
    const figures = page.locator("figure.trend");
    expect(await figures.count()).toBe(2);
    expect(await page.locator("figure.trend circle.point").count()).toBe(60);
    const boxes = await figures.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as { x: number; y: number; width: number }));
    expect(boxes[0]!.y).toBe(boxes[1]!.y);
    expect(boxes[1]!.x).toBeGreaterThan(boxes[0]!.x + boxes[0]!.width - 1);
    const fills = await page.locator('figure.trend[data-rule="signatures-current"] circle.point').evaluateAll((els) =>
      // Runs in the page; the test's TypeScript has no DOM library, so the page's global is typed here.
      els.map((e) => (globalThis as unknown as { getComputedStyle(el: unknown): { fill: string } }).getComputedStyle(e).fill),
    );
    // Every third entry failed: red (--fail) points, the others green (--pass).
    expect(fills.filter((f) => f === "rgb(207, 34, 46)")).toHaveLength(10);
    expect(fills.filter((f) => f === "rgb(26, 127, 55)")).toHaveLength(20);
  });

  it("put the falling rule's last point below its threshold line, the first above", async () => {
    const chart = page.locator('figure.trend[data-rule="signatures-current"]');
    const threshold = await chart.locator("line.threshold").boundingBox();
    const points = await chart.locator("circle.point").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as { y: number; height: number }));
    const centre = (p: { y: number; height: number }) => p.y + p.height / 2;
    // Entries 10..39 are shown: 95% first, 80.5% last; the threshold is 90%.
    expect(centre(points[0]!)).toBeLessThan(threshold!.y);
    expect(centre(points[29]!)).toBeGreaterThan(threshold!.y);
    const line = await chart.locator("polyline").boundingBox();
    expect(line!.height).toBeGreaterThan(20);
  });

  it("saves a screenshot for CI", async () => {
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.locator("#h-trend").scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
