import { csvField, escapeHtml, escapeMarkdown, escapeXmlAttr, escapeXmlText, showControls } from "../../src/reports/escape";

describe("showControls", () => {
  it.each([
    ["a\nb", "a␊b"],
    ["\r\t\u0000", "␍␉␀"],
    ["del\u007f", "del␡"],
    ["plain ü 😀", "plain ü 😀"],
  ])("%j → %j", (input, expected) => {
    expect(showControls(input)).toBe(expected);
  });
});

describe("escapeMarkdown", () => {
  it.each([
    ["host-1.contoso.com", "host-1.contoso.com"],
    ["a|b\nc", "a\\|b␊c"],
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["x]]>y", "x\\]\\]&gt;y"],
    ["[click](https://evil.example)", "\\[click\\](https\\://evil.example)"],
    ["**b** _i_ `c` ~~s~~", "\\*\\*b\\*\\* \\_i\\_ \\`c\\` \\~\\~s\\~\\~"],
    ["AT&T", "AT&amp;T"],
    ["&lt;", "&amp;lt;"],
    ["back\\slash", "back\\\\slash"],
    ["www.evil.example", "www\\.evil.example"],
    ["WWW.evil.example", "WWW\\.evil.example"],
    ["user@evil.example", "user\\@evil.example"],
    ["$x^2$", "\\$x^2\\$"],
    ["2026-12-31T00:00:00Z", "2026-12-31T00:00:00Z"],
    ["Überwachung-サーバー", "Überwachung-サーバー"],
  ])("%j → %j", (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it("never leaves a raw newline, pipe, angle bracket or link opener", () => {
    const nasty = "a|b\n<c>[d](e)`f`\r\ng";
    const out = escapeMarkdown(nasty);
    expect(out).not.toMatch(/[\n\r<>]/);
    expect(out).not.toMatch(/(^|[^\\])[|[\]`]/);
  });
});

describe("escapeHtml", () => {
  it.each([
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    [`"q" 'a' & b`, "&quot;q&quot; &#39;a&#39; &amp; b"],
    ["x]]>y", "x]]&gt;y"],
    ["cr\r\nlf", "cr&#13;\nlf"],
    ["nul\u0000", "nul\uFFFD"],
    ["a|b\nc", "a|b\nc"],
  ])("%j → %j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe("escapeXmlText / escapeXmlAttr", () => {
  it.each([
    ["x]]>y", "x]]&gt;y", "x]]&gt;y"],
    ["<a & b>", "&lt;a &amp; b&gt;", "&lt;a &amp; b&gt;"],
    [`say "hi" it's`, `say "hi" it's`, "say &quot;hi&quot; it&apos;s"],
    ["a\nb\tc\rd", "a\nb\tc&#13;d", "a&#10;b&#9;c&#13;d"],
    ["bell\u0007 vt\u000b ff\u000c esc\u001b", "bell␇ vt␋ ff␌ esc␛", "bell␇ vt␋ ff␌ esc␛"],
    ["nul\u0000", "nul␀", "nul␀"],
    ["\ufffe\uffff", "\uFFFD\uFFFD", "\uFFFD\uFFFD"],
    ["lone \ud800 high", "lone \uFFFD high", "lone \uFFFD high"],
    ["lone \udc00 low", "lone \uFFFD low", "lone \uFFFD low"],
    ["pair 😀 kept", "pair 😀 kept", "pair 😀 kept"],
  ])("%j → text %j, attr %j", (input, text, attr) => {
    expect(escapeXmlText(input)).toBe(text);
    expect(escapeXmlAttr(input)).toBe(attr);
  });
});

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["a|b\nc", '"a|b\nc"'],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tTAB", "'\tTAB"],
    ["\rCR", "\"'\rCR\""],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
    ["a=b", "a=b"],
    ["", ""],
    ["Überwachung", "Überwachung"],
  ])("%j → %j", (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });
});
