/**
 * Opens the HTML report in headless Chromium (Debian's chromium, driven by playwright-core) and checks what a
 * person would see: charts and tables render, hostile device names are text, nothing runs, nothing is fetched.
 * Keeps a screenshot at test-artifacts/report.png for CI. Without Chromium this test fails, it never skips.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { writeReports } from "../../src/reports";
import { openInChromium } from "./fixtures/chromium";
import { HOSTILE_NAMES, hostileEvaluation } from "./fixtures/evaluation";

const SCREENSHOT = path.resolve(__dirname, "../../test-artifacts/report.png");

let browser: Browser | undefined;
let page: Page;
let dir: string;
let fileUrl: string;
let requests: string[];
let consoleErrors: string[];
let dialogs: string[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "avhealth-html-"));
  const written = await writeReports(hostileEvaluation(), { dir, formats: ["html"] });
  ({ browser, page, fileUrl, requests, consoleErrors, dialogs } = await openInChromium(written.html));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("HTML report in Chromium", () => {
  it("loads with no console error and requests nothing but the file itself", () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });

  it("draws the three charts with the expected number of bars", async () => {
    expect(await page.locator("svg.chart").count()).toBe(3);
    // Three evaluated rules (the disabled one has no bar), four outcomes, two RBAC groups with failures.
    expect(await page.locator("#chart-compliance .bar").count()).toBe(3);
    expect(await page.locator("#chart-compliance .threshold").count()).toBe(3);
    expect(await page.locator("#chart-outcomes .bar").count()).toBe(4);
    expect(await page.locator("#chart-rbac .bar").count()).toBe(2);
    const box = await page.locator("#chart-compliance").boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    const barWidths = await page.locator("#chart-compliance .bar").evaluateAll((els) => els.map((e) => e.getAttribute("width")));
    expect(barWidths).toEqual(["401.9", "417.5", "430"]);
    const titles = await page.locator("svg.chart > title").allTextContents();
    expect(titles).toEqual(["Compliance per rule", "Outcome breakdown", "Device groups with the most failing or unknown outcomes"]);
  });

  it("shows hostile device names as text, exactly", async () => {
    const names = await page.locator("td.device").allTextContents();
    // Fail before unknown (the fixture alternates them), by name within each.
    const hostile = Object.values(HOSTILE_NAMES);
    const fails = hostile.filter((_, i) => i % 2 === 0);
    const unknowns = hostile.filter((_, i) => i % 2 === 1);
    expect(names).toEqual([...fails, ...unknowns, "(no name)", "adv-0001.contoso.com", "adv-0002.contoso.com", "adv-0003.contoso.com"]);
    // The machine group is device-supplied too, and shown as text.
    const firstRow = await page.locator("section.failing").first().locator("tbody tr").first().locator("td").allTextContents();
    expect(firstRow.slice(2, 6)).toEqual(["fail", HOSTILE_NAMES.html, "Windows11", "2026-05-30T10:00:00Z"]);
    const groups = await page.locator("#chart-rbac .bar > title").allTextContents();
    expect(groups.map((t) => t.split(":")[0])).toEqual([HOSTILE_NAMES.html, HOSTILE_NAMES.table]);
    const exceptionReasons = await page.locator("#exceptions-table td.text").allTextContents();
    expect(exceptionReasons).toEqual([HOSTILE_NAMES.html, HOSTILE_NAMES.cdata]);
  });

  it("lets no hostile string become an element, a script or a dialog", async () => {
    expect(await page.locator("img, script, iframe, object, embed, image, a, link[rel=stylesheet]").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("has the tables with headers", async () => {
    expect(await page.locator("#rules-table tbody tr").count()).toBe(4);
    expect(await page.locator("#rules-table thead th[scope=col]").count()).toBe(10);
    expect(await page.locator("#exceptions-table tbody tr").count()).toBe(2);
    expect(await page.locator("#gate").textContent()).toBe("Gate: FAIL");
  });

  it("saves a screenshot for CI", async () => {
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
