/**
 * The files of a user's own policy pack. The pack's code stays in the library: the entry file only builds the
 * pack, so upgrading the npm package upgrades every pack made by `avhealth init-pack`.
 */

export interface PackTemplateOptions {
  /** Pack name, as PulumiPolicy.yaml and `pulumi preview` show it. */
  packName: string;
  /** What the pack's package.json says for pulumi-defender-avhealth: a range, `file:` path or git URL. */
  libraryDependency: string;
  /** The pack directory as the user named it (relative to where init-pack ran), for the comments. */
  shownDir: string;
}

export function policyYaml(options: PackTemplateOptions): string {
  return [
    "runtime: nodejs",
    `name: ${options.packName}`,
    "description: Gates deployments on Microsoft Defender for Endpoint antivirus health (rules in compliance.yaml)",
    "",
  ].join("\n");
}

export function packageJson(options: PackTemplateOptions): string {
  const manifest = {
    name: `${options.packName}-policy-pack`,
    version: "0.1.0",
    private: true,
    description: "Pulumi policy pack: Defender antivirus health rules from compliance.yaml",
    main: "index.js",
    // `pulumi policy publish` uploads what `npm pack` packs: the rule files must be in it, whatever .gitignore says.
    files: ["index.js", "PulumiPolicy.yaml", "*.yaml", "*.yml"],
    dependencies: {
      "@pulumi/policy": "^1.21.0",
      "@pulumi/pulumi": "^3.248.0",
      "pulumi-defender-avhealth": options.libraryDependency,
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function entryFile(options: PackTemplateOptions): string {
  return [
    "// The policies live in the pulumi-defender-avhealth library; this file only builds the pack.",
    "// One Pulumi policy per rule of compliance.yaml (beside this file), named by the rule id, so",
    "// `pulumi preview --policy-pack-config` can re-level any rule. Another rule file: set AVHEALTH_RULES_FILE",
    "// or `pulumi config set avhealth:rulesFile PATH` (relative paths are taken from this directory).",
    'const { createAvHealthPolicyPack } = require("pulumi-defender-avhealth/policy");',
    "",
    `createAvHealthPolicyPack({ name: ${JSON.stringify(options.packName)}, packDir: __dirname });`,
    "",
  ].join("\n");
}

/**
 * The pack's compliance.yaml: a header about this pack (what each rule becomes, how to re-level, check and test
 * it) over the rules of the package's starter file, whose own header talks about the package and is dropped.
 */
export function starterRules(options: PackTemplateOptions, starter: string): string {
  const body = starter.slice(Math.max(0, starter.search(/^version:/m)));
  const dir = options.shownDir;
  return [
    `# The rules of the Pulumi policy pack "${options.packName}" (this directory). Rule format version 1: every key,`,
    "# field and operator is described in docs/rules.md of the pulumi-defender-avhealth package",
    "# (node_modules/pulumi-defender-avhealth/docs/rules.md once the pack's dependencies are installed).",
    "#",
    "# index.js makes one Pulumi policy of each rule, named by its id, with the enforcement given here:",
    "#   mandatory  a failing (or undecidable) rule fails `pulumi preview` / `pulumi up`",
    "#   advisory   a failing rule is a warning",
    "#   disabled   not evaluated",
    "# Re-level a rule for one stack or pipeline without editing this file:",
    `#   echo '{"server-signatures-current": "advisory"}' > policy-config.json`,
    `#   pulumi preview --policy-pack ${dir} --policy-pack-config policy-config.json`,
    `#   avhealth check --rules ${dir}/compliance.yaml --policy-config policy-config.json ...   # the same, from the CLI`,
    "#",
    "# After an edit:",
    `#   avhealth validate --rules ${dir}/compliance.yaml                      # every mistake, with file:line:col`,
    `#   avhealth test --rules ${dir}/compliance.yaml --cases ${dir}/cases     # the expectations in cases/`,
    "# Every *.yaml / *.yml file here is packed with the pack (package.json \"files\"), so a rule file beside this",
    "# one can be chosen with AVHEALTH_RULES_FILE or `pulumi config set avhealth:rulesFile FILE`.",
    body,
  ].join("\n");
}

/** cases/starter.yaml: expectations for the starter rules, run by `avhealth test` (format: examples/rules/README.md). */
export function starterCases(options: PackTemplateOptions): string {
  return `# Test cases for ../compliance.yaml: avhealth test --rules ${options.shownDir}/compliance.yaml --cases ${options.shownDir}/cases
#
# A case is a small fleet, an evaluation time and what the rules should say about it. Inline devices are partial
# device records laid over a compliant default device (current versions, active mode, recent scans, fresh data);
# \`repeat: N\` makes N copies and {n} in a name becomes the copy number. Expectations are per rule id: a status,
# or a map with status, percent, counts and failingDevices. Change them with the rules, and add a case for each
# decision you want to keep (the case format: examples/rules/README.md in the package).
cases:
  - name: a compliant fleet of 40 workstations and 10 servers passes every rule and the gate
    now: 2026-03-01T12:00:00Z
    devices:
      - { repeat: 40, computerDnsName: "pc-{n}.contoso.com" }
      - { repeat: 10, osPlatform: WindowsServer2022, computerDnsName: "srv-{n}.contoso.com" }
    gate: pass
    expect:
      server-signatures-current: { status: pass, percent: 100, counts: { inScope: 10, failing: 0 } }
      signatures-current: { status: pass, counts: { inScope: 50 } }
      windows-active-mode: pass

  - name: one server of 50 with old security intelligence is exactly 98% and still passes
    now: 2026-03-01T12:00:00Z
    devices:
      - { repeat: 49, osPlatform: WindowsServer2019, computerDnsName: "srv-{n}.contoso.com" }
      - { osPlatform: WindowsServer2019, computerDnsName: srv-old.contoso.com, avIsSignatureUpToDate: false }
    gate: pass
    expect:
      server-signatures-current: { status: pass, percent: 98, counts: { counted: 50, fail: 1 }, failingDevices: [srv-old.contoso.com] }
`;
}
