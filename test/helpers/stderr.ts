/** What the code under test writes to stderr (the pack's log lines), captured for one test at a time. */
export function captureStderr(): string[] {
  const lines: string[] = [];
  jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}
