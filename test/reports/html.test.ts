import { HTML_CSP, renderReport } from "../../src/reports";
import { HOSTILE_NAMES, hostileEvaluation, makeDevices, makeEvaluation, makeFailingRule, makeGroup, makeRule, makeSnapshotInfo } from "./fixtures/evaluation";

describe("renderReport html (markup level; html.browser.test.ts checks the rendered page)", () => {
  const html = renderReport("html", hostileEvaluation());

  it("is one self-contained page whose CSP forbids every fetch and every script", () => {
    expect(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")).toBe(true);
    expect(HTML_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'");
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|@font-face|url\((?!#)/i);
    // Every "<" of a hostile string is escaped, so any tag here is the renderer's own: none may load anything.
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|href|xlink:href|action|srcset)=/i);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(3);
  });

  it("escapes every hostile string", () => {
    expect(html).toContain(`<td class="device">&lt;img src=x onerror=alert(1)&gt;</td>`);
    expect(html).toContain(`<td class="device">a|b\nc</td>`);
    expect(html).toContain(`<td class="device">x]]&gt;y</td>`);
    expect(html).toContain(`<td class="device">=cmd|&#39; /C calc&#39;!A0</td>`);
    expect(html).toContain(`<td class="device">${HOSTILE_NAMES.nonAscii}</td>`);
    expect(html).not.toContain("]]>");
    // The hostile RBAC group name, cut to fit its label column, and whole in the bar's title.
    expect(html).toContain(">&lt;img src=x onerror=…</text>");
    expect(html).toContain("<title>&lt;img src=x onerror=alert(1)&gt;: 40 fail, 0 unknown, 90 pass, 0 waived</title>");
  });

  it("escapes strings from the rule file and the snapshot header too", () => {
    const out = renderReport(
      "html",
      makeEvaluation(
        { rules: [makeRule({ description: "</th><script>x</script>" })], snapshot: makeSnapshotInfo({ method: "<b>m</b>", digest: '"><svg onload=1>' }) },
        { rulesFile: "<rules>.yaml" },
      ),
    );
    expect(out).not.toMatch(/<script|<b>|<svg onload|<rules>/);
    expect(out).toContain("&lt;/th&gt;&lt;script&gt;x&lt;/script&gt;");
    expect(out).toContain("&lt;rules&gt;.yaml");
  });

  it.each([
    [50, 50, 0],
    [51, 50, 1],
    [1234, 50, 1184],
  ])("shows %i failing devices as %i rows and counts %i more", (total, shown, omitted) => {
    const out = renderReport("html", makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(total))] }));
    expect(out.match(/<td class="device">/g)).toHaveLength(shown);
    expect(out).toContain(`data-total="${total}" data-shown="${shown}"`);
    if (omitted === 0) expect(out).not.toContain("… and");
    else expect(out).toContain(`… and ${omitted.toLocaleString("en-US")} more`);
  });

  it("draws one compliance bar per evaluated rule and one bar per worst RBAC group, at most ten", () => {
    const groups = Array.from({ length: 14 }, (_, i) => makeGroup({ rbacGroupName: `g${i}`, fail: i + 1 }));
    const out = renderReport("html", makeEvaluation({}, { rbacGroups: groups }));
    expect(out.match(/<rect class="bar st-/g)).toHaveLength(1);
    expect(out.match(/<g class="bar rbac-group">/g)).toHaveLength(10);
    expect(out.indexOf(">g13</text>")).toBeLessThan(out.indexOf(">g4</text>"));
    expect(out).not.toContain(">g3</text>");
  });

  it("says so when there is nothing to chart or list", () => {
    const out = renderReport("html", makeEvaluation({ rules: [makeRule({ status: "disabled", enforcement: "disabled" })] }));
    expect(out).toContain("No rule was evaluated (every rule is disabled).");
    expect(out).toContain("No device group has failing or unknown outcomes.");
    expect(out).toContain("No failing or unknown devices.");
    expect(out).toContain("The rule file declares no exceptions.");
  });

  it("warns about an incomplete snapshot", () => {
    const out = renderReport("html", makeEvaluation({ gate: "fail", snapshot: makeSnapshotInfo({ complete: false }) }));
    expect(out).toContain('<p class="banner" role="alert"><strong>The snapshot is incomplete.</strong>');
    expect(html).not.toContain('class="banner"');
  });

  it("gives the same bytes for the same input", () => {
    expect(renderReport("html", hostileEvaluation())).toBe(html);
    expect(renderReport("html", JSON.parse(JSON.stringify(hostileEvaluation())))).toBe(html);
  });
});
