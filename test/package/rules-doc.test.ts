/**
 * docs/rules.md is the rule format as users read it, shipped in the package. It is checked against the program
 * here, so it cannot drift: every key of the rule-file schema has a row (with every allowed value), every device
 * field has a row with its kind, the operator table equals the operator registry, every operator has a heading
 * and an example, and every YAML example on the page loads. Add a key, a field or an operator without
 * documenting it and this fails.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { DEVICE_FIELDS, type FieldKind } from "../../src/model/device";
import { loadRuleText } from "../../src/rules";
import { ruleFileSchema } from "../../src/rules/load/schema";
import { OPERATOR_NAMES, operatorsForKind } from "../../src/rules/operators/registry";

const ROOT = path.resolve(__dirname, "../..");
const DOC = readFileSync(path.join(ROOT, "docs/rules.md"), "utf8");

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
}

/** Every key path of the schema ("rules[].threshold.minPercent"), with its enum values when it has them. */
function schemaKeys(node: SchemaNode, prefix = ""): Array<{ key: string; values: unknown[] }> {
  const keys: Array<{ key: string; values: unknown[] }> = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const key = `${prefix}${name}`;
    keys.push({ key, values: child.enum ?? [] });
    if (child.properties !== undefined) keys.push(...schemaKeys(child, `${key}.`));
    if (child.items?.properties !== undefined) keys.push(...schemaKeys(child.items, `${key}[].`));
  }
  return keys;
}

/** The cells of the table row whose first cell is `name` in backticks, or undefined. */
function row(section: string, name: string): string[] | undefined {
  const line = section.split("\n").find((l) => l.startsWith(`| \`${name}\` |`));
  return line?.split(" | ").map((cell) => cell.replace(/^\| |\|$/g, "").trim());
}

function section(heading: string): string {
  const start = DOC.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const level = heading.split(" ")[0] as string;
  const next = DOC.slice(start + heading.length + 2).search(new RegExp(`\\n${level} `));
  return next === -1 ? DOC.slice(start) : DOC.slice(start, start + heading.length + 2 + next);
}

const yamlBlocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe("docs/rules.md", () => {
  it("has a row for every key of the rule-file schema, naming every allowed value", () => {
    const keys = schemaKeys(ruleFileSchema as unknown as SchemaNode);
    expect(keys.length).toBeGreaterThan(30);
    const missing = keys.filter(({ key }) => row(DOC, key) === undefined).map(({ key }) => key);
    expect(missing).toEqual([]);
    for (const { key, values } of keys) {
      const cells = (row(DOC, key) ?? []).join(" ");
      for (const value of values) expect({ key, value, listed: cells.includes(`\`${String(value)}\``) }).toEqual({ key, value, listed: true });
    }
  });

  it("lists exactly the device fields, each with its kind", () => {
    const fields = section("## Device fields");
    const documented = [...fields.matchAll(/^\| `(\w+)` \| (\w+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(documented).toEqual(DEVICE_FIELDS.map(([field, kind]) => [field, kind]));
  });

  it("gives each kind exactly the operators the registry allows", () => {
    const table = section("### Operators");
    const kinds = [...new Set(DEVICE_FIELDS.map(([, kind]) => kind))];
    for (const kind of kinds) {
      const line = table.split("\n").find((l) => l.startsWith(`| ${kind} |`));
      const documented = [...(line ?? "").matchAll(/`(\w+)`/g)].map((m) => m[1]).sort();
      expect({ kind, operators: documented }).toEqual({ kind, operators: [...operatorsForKind(kind as FieldKind)].sort() });
    }
  });

  it("has a heading and a loading example for every operator", () => {
    for (const op of OPERATOR_NAMES) {
      const at = DOC.indexOf(`\n#### \`${op}\`\n`);
      expect({ op, documented: at > -1 }).toEqual({ op, documented: true });
      const example = /```yaml\n([\s\S]*?)```/.exec(DOC.slice(at))?.[1] ?? "";
      expect({ op, example: new RegExp(`\\b${op}: `).test(example) }).toEqual({ op, example: true });
    }
    expect(DOC).toMatch(/RE2/);
  });

  it("every YAML example loads: whole files as they are, condition fragments inside a rule", () => {
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(OPERATOR_NAMES.length + 3);
    for (const [i, block] of yamlBlocks.entries()) {
      let text: string;
      if (block.startsWith("version: 1\n")) text = block;
      else if (block.startsWith("require:\n")) text = `version: 1\nrules:\n  - id: example\n    description: example\n${block.replace(/^/gm, "    ")}`;
      else throw new Error(`example ${i + 1} is neither a rule file nor a require: fragment:\n${block}`);
      expect(() => loadRuleText(text, `docs/rules.md example ${i + 1}`)).not.toThrow();
    }
  });

  it("is shipped in the package (npm pack lists it)", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const [packed] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
    const files = (packed?.files ?? []).map((f) => f.path);
    expect(files).toContain("docs/rules.md");
    // The examples it links to travel with it.
    expect(files).toContain("examples/rules/README.md");
  });
});

describe("links", () => {
  it("nothing in the repository points at spec files that are not in it (the rule format is docs/rules.md)", () => {
    const found = spawnSync("git", ["grep", "-n", "-I", "-E", "shared/(spec|reference)/"], { cwd: ROOT, encoding: "utf8" });
    // git grep exits 1 when nothing matches (0: matches, listed; >1: git itself failed).
    expect({ status: found.status, matches: found.stdout }).toEqual({ status: 1, matches: "" });
  });
});
