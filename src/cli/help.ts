/** Usage text per command; `avhealth <command> --help` prints it and exits 0. */
export const USAGE: Readonly<Record<string, string>> = {
  main: `avhealth: Microsoft Defender for Endpoint antivirus health, checked against compliance rules

Usage: avhealth <command> [options]

Commands:
  fetch       take a snapshot of the fleet's antivirus health from the Defender API
  check       evaluate compliance rules against a snapshot (or a live fetch) and write reports
  validate    check a rule file and print every problem with its location
  test        run rule test cases (fleets with expected outcomes) against a rule file
  emulator    run the local Defender API + Entra ID emulator
  init-pack   write a ready Pulumi policy pack into a new directory
  trend       print the evaluation history that check --history records

Credentials come from AZURE_TENANT_ID, AZURE_CLIENT_ID and one of AZURE_CLIENT_SECRET,
AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE or the GitHub Actions OIDC variables.
Run \`avhealth <command> --help\` for a command's options.`,
  fetch: `Usage: avhealth fetch [--method auto|json|files] [--filter ODATA] [--out FILE]

Takes a snapshot from the Defender API and writes it (default ./avhealth-snapshot.ndjson.gz).
Exit codes: 0 ok, 2 bad usage, 3 data could not be fetched completely, 4 authentication/permission problem.`,
  check: `Usage: avhealth check --rules FILE [--snapshot FILE|DIR | --method M --filter ODATA --out FILE]
                      [--now ISO] [--report-dir DIR] [--format json,json.gz,md,sarif,junit,html,csv]
                      [--baseline FILE] [--history FILE]

Evaluates the rules against a snapshot (the tool's snapshot file, a /api/deviceavinfo JSON document or array,
via-files export parts, or a directory of parts), or fetches one live when --snapshot is not given.
--format json.gz writes the JSON report gzip-compressed (avhealth-report.json.gz, about 8x smaller).
--baseline compares with an earlier avhealth-report.json, plain or gzip-compressed (default: the rule file's
settings.baseline): the reports say what changed, and rules with a regression key gate on it.
--history FILE appends one JSON line per evaluation (not again for the same snapshot and results); the HTML
report charts each rule's percent over the last 30 lines and the Markdown lists the last 10 gates.
Exit codes: 0 gate passes, 1 a mandatory rule failed, 2 bad usage or invalid rules,
3 incomplete data or a mandatory rule indeterminate, 4 authentication/permission problem.`,
  validate: `Usage: avhealth validate --rules FILE

Loads and checks a rule file; prints every problem as file:line:col path: message.
Exit codes: 0 valid, 2 invalid.`,
  test: `Usage: avhealth test --rules FILE --cases DIR

Runs every case file in DIR (fleets with the expected status and counts per rule).
Exit codes: 0 all cases pass, 1 a case failed, 2 bad usage or invalid files.`,
  emulator: `Usage: avhealth emulator [--port 0] [--devices N --seed S | --fleet FILE] [--parts K] [--faults SPEC]
                         [--rate-limit json=30/60s,export=5/60s] [--next-link on|off] [--roles LIST] [--data-dir DIR]

Runs the local Defender API + Entra ID emulator on 127.0.0.1 until stopped; prints one JSON line with its URLs
and credentials on stdout.`,
  "init-pack": `Usage: avhealth init-pack DIR

Writes a ready Pulumi policy pack (PulumiPolicy.yaml, package.json, entry file, starter compliance.yaml) into DIR.
Exit codes: 0 written, 2 DIR exists and is not empty.`,
  trend: `Usage: avhealth trend --history FILE [--rule ID] [--format table|csv|json]

Prints the history that \`avhealth check --history FILE\` (or the policy pack's AVHEALTH_HISTORY) records:
a table of evaluations (with --rule, that rule's status, percent and counts), or one CSV row / JSON object per
evaluation and rule. A last line cut short by a crash is skipped with a warning.
Exit codes: 0 printed, 2 bad usage, a missing file, a bad history line (file:line) or an unknown --rule.`,
};
