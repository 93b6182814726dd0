/** Plain-text tables for the terminal; colour codes only when the stream is a TTY. */
// Terminal control characters in device-supplied text would let a device name rewrite the screen.
import { showControls as printable } from "../reports/escape";

export { printable };
export type Colour = "red" | "green" | "yellow" | "grey" | "bold";

const CODES: Record<Colour, [number, number]> = { red: [31, 39], green: [32, 39], yellow: [33, 39], grey: [90, 39], bold: [1, 22] };

export function paint(text: string, colour: Colour | undefined, enabled: boolean): string {
  if (!enabled || colour === undefined) return text;
  const [open, close] = CODES[colour];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

export interface Cell {
  text: string;
  colour?: Colour;
  align?: "left" | "right";
}

export function renderTable(header: string[], rows: Cell[][], colour: boolean): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => printable(r[i]?.text ?? "").length)));
  const format = (cells: Cell[], isHeader: boolean): string =>
    cells
      .map((cell, i) => {
        const text = printable(cell.text);
        const padded = cell.align === "right" ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
        return paint(padded, isHeader ? "bold" : cell.colour, colour);
      })
      .join("  ")
      .trimEnd();
  const lines = [format(header.map((text) => ({ text })), true), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const row of rows) lines.push(format(row, false));
  return lines.join("\n");
}
