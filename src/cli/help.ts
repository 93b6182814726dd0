/**
 * Help per command, as data: the usage lines, what the command does, every flag with its default, every
 * environment variable it reads and its exit codes. `avhealth <command> --help` prints it and exits 0; a usage
 * error repeats the usage line. A test checks that every flag a command parses is explained here.
 */
export interface CommandHelp {
  usage: string;
  about: string;
  /** [flag as written, meaning and default]. */
  flags: ReadonlyArray<readonly [string, string]>;
  /** [variable, meaning]. */
  env: ReadonlyArray<readonly [string, string]>;
  /** When the command reads the environment, if not always. */
  envNote?: string;
  exit: string;
}

const CREDENTIALS: ReadonlyArray<readonly [string, string]> = [
  ["AZURE_TENANT_ID", "the Entra ID tenant (GUID or domain)"],
  ["AZURE_CLIENT_ID", "the app registration's client id"],
  ["AZURE_CLIENT_SECRET", "a client secret, or instead:"],
  ["AZURE_CLIENT_CERTIFICATE_PATH", "a PEM with certificate and private key (AZURE_CLIENT_CERTIFICATE_PASSWORD if encrypted)"],
  ["AZURE_FEDERATED_TOKEN_FILE", "a federated token file (workload identity), or:"],
  ["ACTIONS_ID_TOKEN_REQUEST_URL", "with ACTIONS_ID_TOKEN_REQUEST_TOKEN: the GitHub Actions OIDC token (id-token: write)"],
  ["AVHEALTH_CLOUD", "commercial (default), gcc, gcc-high or dod: the API host and login authority together"],
  ["AVHEALTH_API_URL", "the Defender API base URL (overrides the cloud's)"],
  ["AZURE_AUTHORITY_HOST", "the login host (overrides the cloud's)"],
  ["AVHEALTH_CA_FILE", "an extra CA bundle (PEM) to trust, e.g. the emulator's; NODE_EXTRA_CA_CERTS works too"],
  ["AVHEALTH_PART_WORKERS", "worker threads reading export parts (default one per core, at most 4; 0: none)"],
  ["HTTPS_PROXY", "a proxy for every request (also HTTP_PROXY); NO_PROXY lists hosts to reach directly"],
];

const STORE_ENV: ReadonlyArray<readonly [string, string]> = [
  ["AVHEALTH_STORE_SAS", "a SAS (or other query credential) for an https or Azure Blob location; never printed"],
  ["AZURE_STORAGE_CONNECTION_STRING", "an Azure Storage connection string (else DefaultAzureCredential: managed or workload identity, Azure CLI)"],
  ["AVHEALTH_CA_FILE", "an extra CA bundle (PEM) to trust for an https location"],
];

const PUBLICATION_FLAG_HELP: ReadonlyArray<readonly [string, string]> = [
  ["--key PUB", "a PEM public key file that may have signed the publication; repeat for several\n(default: the keys of the rule file's settings.fleet.signed; required without them)"],
  ["--tenant T", "the tenant the publication must be about (default: the rule file's pinned tenant; required without it)"],
  ["--cloud C", "the cloud the publication must be about (default: the pins' cloud, else AVHEALTH_CLOUD, else commercial)"],
  ["--max-age D", "the oldest fetchedAt accepted, e.g. 25h, 90m, 2d (default: the pins' maxAge, else 25h)"],
];

const FORMAT_FLAG = [
  "--format LIST",
  "report files to write, a comma list of json, json.gz, md, sarif, junit, html, csv (default json,md);\n" +
    "json.gz is the JSON report gzip-compressed (avhealth-report.json.gz, about 8x smaller)",
] as const;

export const HELP: Readonly<Record<string, CommandHelp>> = {
  fetch: {
    usage: "Usage: avhealth fetch [--method auto|json|files] [--filter ODATA] [--out FILE]",
    about: "Takes a snapshot of the fleet's antivirus health from the Defender API, writes it and prints a summary.",
    flags: [
      ["--method auto|json|files", "json pages /api/deviceavinfo, files uses the file export, auto picks by fleet size (default auto)"],
      ["--filter ODATA", "an OData $filter for the JSON method, e.g. \"osPlatform eq 'Windows11'\" (default: the whole fleet)"],
      ["--out FILE", "where to write the snapshot (default ./avhealth-snapshot.ndjson.gz)"],
      ["-h, --help", "print this help"],
    ],
    env: CREDENTIALS,
    exit: "0 ok, 2 bad usage, 3 data could not be fetched completely, 4 authentication or permission problem.",
  },
  check: {
    usage: `Usage: avhealth check --rules FILE [--snapshot FILE|DIR | --method M --filter ODATA --out FILE] [--now ISO]
                      [--from LOCATION --key PUB [--key PUB2] --tenant T [--cloud C] [--max-age 25h]]
                      [--report-dir DIR] [--format LIST] [--baseline FILE] [--history FILE]
                      [--policy-config FILE] [--output table|json] [--quiet]`,
    about:
      "Evaluates the rules against a snapshot (the tool's snapshot file, a /api/deviceavinfo JSON document or array,\n" +
      "via-files export parts, or a directory of parts), or fetches one live when --snapshot is not given, then\n" +
      "writes the reports and prints one row per rule (fail and unknown device counts apart) and the gate.",
    flags: [
      ["--rules FILE", "the rule file (required); the format is docs/rules.md in the package"],
      ["--snapshot FILE|DIR", "evaluate this snapshot or export data (default: fetch live, with the flags below)"],
      ["--method auto|json|files", "live fetch only: the fetch method (default auto)"],
      ["--filter ODATA", "live fetch only: an OData $filter for the JSON method (default: the whole fleet)"],
      ["--out FILE", "live fetch only: keep the snapshot there (default: a temporary file)"],
      ["--from LOCATION", "evaluate the signed publication there (a directory, https or Azure Blob URL), verified first;\nno Defender credentials needed (default: none)"],
      ...PUBLICATION_FLAG_HELP,
      ["--now ISO", "the evaluation time, for staleness and exception expiry (default: the current time)"],
      ["--report-dir DIR", "where report files go (default ./avhealth-reports)"],
      FORMAT_FLAG,
      ["--baseline FILE", "an earlier avhealth-report.json to compare with, plain or gzip-compressed (default: settings.baseline of\n" +
        "the rule file, else none)"],
      ["--history FILE", "append this evaluation to a JSON-lines history and chart it in the reports (default: none)"],
      ["--policy-config FILE", "re-level rules with the JSON of the pack's --policy-pack-config, e.g. {\"rule-id\": \"advisory\"} (default: none)"],
      ["--output table|json", "what goes to stdout: the rule table, or one JSON object with the gate and per-rule counts (default table)"],
      ["--quiet, -q", "print nothing but errors; the exit code and the report files say the rest (default: off)"],
      ["-h, --help", "print this help"],
    ],
    env: CREDENTIALS,
    envNote: "read only for a live fetch (without --snapshot)",
    exit:
      "0 gate passes, 1 a mandatory rule failed, 2 bad usage or invalid rules, 3 incomplete data or a mandatory\n" +
      "rule indeterminate, 4 authentication or permission problem.",
  },
  validate: {
    usage: "Usage: avhealth validate --rules FILE",
    about: "Loads and checks a rule file; prints every problem as file:line:col path: message.",
    flags: [
      ["--rules FILE", "the rule file to check (required)"],
      ["-h, --help", "print this help"],
    ],
    env: [],
    exit: "0 valid, 2 invalid or missing.",
  },
  test: {
    usage: "Usage: avhealth test --rules FILE --cases DIR",
    about: "Runs every case file in DIR (a fleet with the expected status and counts per rule) against the rules.",
    flags: [
      ["--rules FILE", "the rule file under test (required)"],
      ["--cases DIR", "a directory of case files, *.yaml (required)"],
      ["-h, --help", "print this help"],
    ],
    env: [],
    exit: "0 all cases pass, 1 a case failed, 2 bad usage or invalid files.",
  },
  emulator: {
    usage: `Usage: avhealth emulator [--port 0] [--devices N --seed S | --fleet FILE] [--parts K] [--faults SPEC]
                         [--rate-limit SPEC|off] [--next-link on|off] [--roles LIST] [--data-dir DIR]
                         [--reference-time ISO] [--write-env FILE]`,
    about:
      "Runs the local Defender API + Entra ID emulator on 127.0.0.1 until stopped (Ctrl-C). Prints one JSON line with\n" +
      "apiUrl, authorityHost, tenantId, clientId, clientSecret and caCertPath on stdout; logs go to stderr.",
    flags: [
      ["--port N", "TCP port on 127.0.0.1 (default 0: a free port)"],
      ["--devices N", "generate a fleet of N devices (default 100)"],
      ["--seed S", "seed of the generated fleet and of percent faults; the same seed gives the same fleet (default 1)"],
      ["--fleet FILE", "serve these devices instead: a JSON array or {\"value\": [...]} in the /api/deviceavinfo shape\n" +
        "(default: a generated fleet)"],
      ["--parts K", "file export parts per device group (default 1)"],
      ["--faults SPEC", "inject faults: ROUTE:FAULT@N (the N-th request) or ROUTE:FAULT%P (P percent), comma separated;\n" +
        "routes token, deviceavinfo, export, blob; faults 429, 500, 502, 503, reset, slow, truncate, corrupt,\n" +
        "expire, empty, dup, trickle (blob: one byte a second), cycle (deviceavinfo: pages past the first link\n" +
        "back to the first) (default: none)"],
      ["--rate-limit SPEC|off", "per-client limits, e.g. json=30/60s,export=5/60s (default json 30/60s and 1000/3600s,\n" +
        "export 5/60s and 20/3600s)"],
      ["--next-link on|off", "send @odata.nextLink on JSON pages (default on)"],
      ["--roles LIST", "roles in issued tokens, comma separated (default Machine.Read.All,Vulnerability.Read.All)"],
      ["--data-dir DIR", "keep the CA, credentials and export parts there (default: a temporary directory removed on stop)"],
      ["--reference-time ISO", "the time the generated fleet is relative to (default: now, to the minute)"],
      ["--write-env FILE", "once ready, write `export VAR=...` lines for fetch and check into FILE, and the emulator's\n" +
        "AVHEALTH_EMULATOR_PID (written whole, removed on stop), so a script can wait for it and source it (default: none)"],
      ["-h, --help", "print this help"],
    ],
    env: [],
    exit: "0 on a clean stop, 2 bad usage.",
  },
  "init-pack": {
    usage: "Usage: avhealth init-pack DIR [--name NAME] [--package SPEC]",
    about:
      "Writes a ready Pulumi policy pack into DIR: PulumiPolicy.yaml, package.json, index.js, a commented starter\n" +
      "compliance.yaml and cases/ with a rule test case (`avhealth test --rules DIR/compliance.yaml --cases DIR/cases`).",
    flags: [
      ["--name NAME", "the policy pack's name (default avhealth)"],
      ["--package SPEC", "how the pack depends on pulumi-defender-avhealth: a version range, a tarball path (from npm pack)\n" +
        "or a git URL (default ^ this version)"],
      ["-h, --help", "print this help"],
    ],
    env: [],
    exit: "0 written, 2 bad usage or DIR exists and is not empty.",
  },
  keygen: {
    usage: "Usage: avhealth keygen --out DIR [--type ed25519|ecdsa-p256]",
    about:
      "Writes avhealth-signing.key (PKCS#8 PEM, mode 0600) and avhealth-signing.pub (SPKI PEM) into DIR, never\n" +
      "overwriting a file, and prints the public key and its keyid. Pin the .pub in settings.fleet.signed.keys.",
    flags: [
      ["--out DIR", "where the two key files go (required)"],
      ["--type ed25519|ecdsa-p256", "the key type (default ed25519)"],
      ["-h, --help", "print this help"],
    ],
    env: [],
    exit: "0 written, 2 bad usage or a key file exists.",
  },
  publish: {
    usage: `Usage: avhealth publish --to LOCATION [--key FILE] [--expires 25h] [--keep 5] [--cloud C]
                        [--method auto|json|files] [--out FILE | --snapshot FILE]`,
    about:
      "Fetches a snapshot (or takes a complete --snapshot FILE), signs an in-toto statement about it in a DSSE\n" +
      "envelope and uploads both to LOCATION: snapshots/<sha256>.ndjson.gz first, latest.dsse.json last; then removes\n" +
      "snapshot files beyond the newest --keep. An incomplete snapshot is not published. LOCATION is a directory or an\n" +
      "Azure Blob URL (https://<account>.blob.core.windows.net/<container>/<prefix>).",
    flags: [
      ["--to LOCATION", "where to publish (required)"],
      ["--key FILE", "the private key (default: the PEM text in AVHEALTH_SIGNING_KEY)"],
      ["--expires D", "expiresAt = fetchedAt + D (default 25h)"],
      ["--keep N", "snapshot files kept, the new one included (default 5)"],
      ["--cloud C", "the cloud named in the statement (default AVHEALTH_CLOUD, else commercial)"],
      ["--method auto|json|files", "the fetch method (default auto)"],
      ["--out FILE", "also keep the fetched snapshot there (default: a temporary file)"],
      ["--snapshot FILE", "publish this complete snapshot instead of fetching (default: fetch)"],
      ["-h, --help", "print this help"],
    ],
    env: [["AVHEALTH_SIGNING_KEY", "the private key's PEM text (a CI secret); never printed"], ...STORE_ENV, ...CREDENTIALS],
    exit: "0 published, 2 bad usage or key, 3 incomplete data or the store failed, 4 authentication or permission problem.",
  },
  verify: {
    usage: `Usage: avhealth verify LOCATION --key PUB [--key PUB2] --tenant T [--cloud C] [--max-age 25h] [--out FILE]
                       [--now ISO]`,
    about:
      "Downloads the publication at LOCATION (a directory, an https URL, or an Azure Blob URL) and verifies it: a\n" +
      "signature by one of the keys, the statement, tenant, cloud, completeness, age (fetchedAt within --max-age, before\n" +
      "expiresAt) and the snapshot file's digests. Prints the predicate and the signing keyid.",
    flags: [
      ["--key PUB", "a PEM public key file that may have signed the publication; repeat for several (required)"],
      ["--tenant T", "the tenant the publication must be about (required)"],
      ["--cloud C", "the cloud the publication must be about (default AVHEALTH_CLOUD, else commercial)"],
      ["--max-age D", "the oldest fetchedAt accepted, e.g. 25h, 90m, 2d (default 25h)"],
      ["--out FILE", "write the verified snapshot file there (default: none)"],
      ["--now ISO", "the time freshness is judged at (default: the current time)"],
      ["-h, --help", "print this help"],
    ],
    env: STORE_ENV,
    exit: "0 verified, 2 bad usage, 3 the publication does not verify (the code in brackets says why), 4 the store refused access.",
  },
  trend: {
    usage: "Usage: avhealth trend --history FILE [--rule ID] [--output table|csv|json]",
    about:
      "Prints the history that `avhealth check --history FILE` (or the policy pack's AVHEALTH_HISTORY) records: a table\n" +
      "of evaluations (with --rule, that rule's status, percent and counts), or one CSV row / JSON object per\n" +
      "evaluation and rule. A last line cut short by a crash is skipped with a warning.",
    flags: [
      ["--history FILE", "the history file (required)"],
      ["--rule ID", "only this rule (default: every rule)"],
      ["--output table|csv|json", "what goes to stdout (default table); --format is the old spelling"],
      ["-h, --help", "print this help"],
    ],
    env: [],
    exit: "0 printed, 2 bad usage, a missing file, a bad history line (file:line) or an unknown --rule.",
  },
};

const MAIN = `avhealth: Microsoft Defender for Endpoint antivirus health, checked against compliance rules

Usage: avhealth <command> [options]
       avhealth --version | -V
       avhealth --help | -h

Commands:
  fetch       take a snapshot of the fleet's antivirus health from the Defender API
  check       evaluate compliance rules against a snapshot (or a live fetch) and write reports
  validate    check a rule file and print every problem with its location
  test        run rule test cases (fleets with expected outcomes) against a rule file
  emulator    run the local Defender API + Entra ID emulator
  init-pack   write a ready Pulumi policy pack into a new directory
  trend       print the evaluation history that check --history records
  keygen      make a signing key pair for publications
  publish     fetch, sign and upload a publication (the snapshot plus a signed statement)
  verify      download and verify a publication against pinned keys, tenant and age

Options:
  -h, --help     print this help (\`avhealth <command> --help\`: that command's options and defaults)
  -V, --version  print the version

Credentials come from AZURE_TENANT_ID, AZURE_CLIENT_ID and one of AZURE_CLIENT_SECRET,
AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE or the GitHub Actions OIDC variables
(\`avhealth fetch --help\` lists every variable). The rule format: docs/rules.md in the package.`;

function renderHelp(help: CommandHelp): string {
  const width = Math.max(...help.flags.map(([flag]) => flag.length), ...help.env.map(([name]) => name.length));
  const rows = (pairs: ReadonlyArray<readonly [string, string]>): string[] =>
    pairs.map(([left, right]) => `  ${left.padEnd(width)}  ${right.split("\n").join(`\n  ${" ".repeat(width)}  `)}`);
  const lines = [help.usage, "", help.about, "", "Options:", ...rows(help.flags)];
  if (help.env.length > 0) lines.push("", `Environment${help.envNote === undefined ? "" : ` (${help.envNote})`}:`, ...rows(help.env));
  lines.push("", `Exit codes: ${help.exit}`);
  return lines.join("\n");
}

/** The text `--help` prints: the overview for "main", else the command's help. */
export function helpText(command: string): string {
  const help = HELP[command];
  return help === undefined ? MAIN : renderHelp(help);
}

/** The usage line(s) a usage error repeats. */
export function usageLine(command: string): string {
  return HELP[command]?.usage ?? "Usage: avhealth <command> [options]";
}
