/**
 * The files of a user's own policy pack. The pack's code stays in the library: the entry file only builds the
 * pack, so upgrading the npm package upgrades every pack made by `avhealth init-pack`.
 */

export interface PackTemplateOptions {
  /** Pack name, as PulumiPolicy.yaml and `pulumi preview` show it. */
  packName: string;
  /** Version of pulumi-defender-avhealth to depend on. */
  libraryVersion: string;
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
      "pulumi-defender-avhealth": `^${options.libraryVersion}`,
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
