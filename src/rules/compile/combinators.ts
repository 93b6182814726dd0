/** Three-valued all/any/not (rules-v1.md): FAIL dominates all, PASS dominates any, not keeps UNKNOWN. */
import { FAIL, PASS, UNKNOWN, type CompiledCondition, type Outcome } from "../types";

export function allOf(parts: readonly CompiledCondition[], text = `all(${parts.map((p) => p.text).join(", ")})`): CompiledCondition {
  if (parts.length === 1) return parts[0] as CompiledCondition;
  return {
    test(device, ctx) {
      let outcome: Outcome = PASS;
      for (const part of parts) {
        const result = part.test(device, ctx);
        if (result === FAIL) return FAIL;
        if (result === UNKNOWN) outcome = UNKNOWN;
      }
      return outcome;
    },
    explain(device, ctx) {
      let unknown: CompiledCondition | null = null;
      for (const part of parts) {
        const result = part.test(device, ctx);
        if (result === FAIL) return part.explain(device, ctx);
        if (result === UNKNOWN && unknown === null) unknown = part;
      }
      return unknown === null ? `${text} holds` : unknown.explain(device, ctx);
    },
    text,
  };
}

export function anyOf(parts: readonly CompiledCondition[]): CompiledCondition {
  const text = `any(${parts.map((p) => p.text).join(", ")})`;
  return {
    test(device, ctx) {
      let outcome: Outcome = FAIL;
      for (const part of parts) {
        const result = part.test(device, ctx);
        if (result === PASS) return PASS;
        if (result === UNKNOWN) outcome = UNKNOWN;
      }
      return outcome;
    },
    explain(device, ctx) {
      const reasons: string[] = [];
      for (const part of parts) {
        const result = part.test(device, ctx);
        if (result === UNKNOWN) return part.explain(device, ctx);
        if (result === FAIL) reasons.push(part.explain(device, ctx));
      }
      return `none of: ${reasons.join("; ")}`;
    },
    text,
  };
}

export function notOf(inner: CompiledCondition): CompiledCondition {
  return {
    test(device, ctx) {
      const result = inner.test(device, ctx);
      return result === PASS ? FAIL : result === FAIL ? PASS : UNKNOWN;
    },
    explain(device, ctx) {
      return inner.test(device, ctx) === UNKNOWN ? inner.explain(device, ctx) : `not: ${inner.text} holds`;
    },
    text: `not(${inner.text})`,
  };
}
