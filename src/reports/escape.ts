/**
 * Escaping for every report format. Device names, machine ids, RBAC group names and reasons come from the
 * Defender API, so anyone who can name a device can put text in a report: each string passes through the
 * escaper of its target format, and nothing else is ever concatenated into markup raw.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const C0_OR_DEL = /[\u0000-\u001f\u007f]/g;

/**
 * Control characters as their Unicode "control pictures" (U+2400 block: a newline shows as ␊), for formats
 * where a raw control character would break the layout (a Markdown table row) and hiding it would mislead.
 */
export function showControls(text: string): string {
  return text.replace(C0_OR_DEL, (c) => (c === "\u007f" ? "\u2421" : String.fromCharCode(0x2400 + c.charCodeAt(0))));
}

const MD_ENTITY: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
// Inline markup (emphasis, code, links, strikethrough, GitHub math), the table cell separator, and the
// characters that start GFM autolinks. `<`, `>` and `&` become entities so no raw HTML or entity survives.
const MD_SPECIAL = /[\\`*_[\]|~$@&<>]|:(?=\/\/)/g;
// GFM also autolinks a bare "www." without a scheme; escaping its dot breaks the match.
const MD_WWW = /(www)\./gi;

/** Text safe in a GitHub-flavoured Markdown table cell or paragraph: it renders as itself, never as markup or a link. */
export function escapeMarkdown(text: string): string {
  return showControls(text)
    .replace(MD_SPECIAL, (c) => MD_ENTITY[c] ?? `\\${c}`)
    .replace(MD_WWW, "$1\\.");
}

const HTML_ESCAPE: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  // The HTML parser turns a raw CR into LF; a character reference keeps the DOM text equal to the input.
  "\r": "&#13;",
  // The parser replaces NUL with U+FFFD anyway; doing it here keeps the file free of NUL bytes.
  "\u0000": "\uFFFD",
};

/** Text safe in HTML (and inline SVG) element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is one of the characters handled here
  return text.replace(/[&<>"'\r\u0000]/g, (c) => HTML_ESCAPE[c] ?? c);
}

// XML 1.0 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]: other C0
// controls, U+FFFE/U+FFFF and unpaired surrogates make the whole document ill-formed.
const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- finding the control characters XML forbids is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function replaceXmlForbidden(text: string): string {
  return text.replace(XML_FORBIDDEN, (c) => (c.charCodeAt(0) < 0x20 ? showControls(c) : "\uFFFD"));
}

const XML_TEXT_ESCAPE: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  // Escaping every ">" means "]]>" can never appear, in text or in attributes.
  ">": "&gt;",
  "\r": "&#13;",
};
const XML_ATTR_ESCAPE: Readonly<Record<string, string>> = {
  ...XML_TEXT_ESCAPE,
  '"': "&quot;",
  "'": "&apos;",
  // Attribute-value normalisation would turn raw whitespace characters into spaces.
  "\n": "&#10;",
  "\t": "&#9;",
};

/** Text safe as XML 1.0 element content. */
export function escapeXmlText(text: string): string {
  return replaceXmlForbidden(text).replace(/[&<>\r]/g, (c) => XML_TEXT_ESCAPE[c] ?? c);
}

/** Text safe inside a double- or single-quoted XML 1.0 attribute value, whitespace preserved. */
export function escapeXmlAttr(text: string): string {
  return replaceXmlForbidden(text).replace(/[&<>"'\r\n\t]/g, (c) => XML_ATTR_ESCAPE[c] ?? c);
}

// A spreadsheet evaluates a cell starting with one of these as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field: formula-looking values get a leading apostrophe, then quoting when needed. */
export function csvField(value: string): string {
  const inert = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}
