/** A setting's value trimmed, or undefined when unset, empty or blank (CI systems often export empty variables). */
export function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
