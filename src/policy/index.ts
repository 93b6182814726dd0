/** The avhealth Pulumi policy pack, built from a YAML rule file (see docs/rules.md). */
export { createAvHealthPolicyPack, buildAvHealthPolicies, type AvHealthPolicies } from "./pack";
export { rulePolicy, reportsPolicy, rulesInvalidPolicy, RULES_INVALID_POLICY_NAME } from "./policies";
export { REPORTS_POLICY_NAME, DEFAULT_REPORT_DIR, reportSettings, type ReportSettings, type ReportsConfig } from "./reports";
export { DEVICE_AV_HEALTH_TYPE, findFleets } from "./resources";
export { complianceByRule, type ComplianceOptions, type RuleCompliance } from "./compliance";
export { resolveRulesFile, type RulesFileChoice } from "./rulesFile";
export type { AvHealthPolicyPackOptions, PolicyEngine, FleetRef, FleetEvaluation, KnownSnapshot } from "./types";
