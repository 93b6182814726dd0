/** The compliance rules engine: load a rule file once, evaluate it over a streamed fleet, gate on the result. */
export { loadRuleFile, loadRuleText } from "./load/load";
export { MAX_FILE_BYTES, MAX_ALIAS_COUNT } from "./load/parse-yaml";
export { formatProblem } from "./load/problems";
export type { Problem } from "./load/problems";
export type { RuleFileV1, RuleInput, RegressionInput, ExceptionInput, SettingsInput, ThresholdInput, ConditionInput, ScopeRef } from "./load/schema";
export { MAX_CONDITION_DEPTH } from "./compile/condition";
export { evaluate } from "./evaluate/evaluate";
export type { SnapshotInput, EvaluateOptions } from "./evaluate/evaluate";
export { serializeReport, serializeReportChunks } from "./evaluate/report";
export { gateExitCode } from "./evaluate/gate";
export { runRuleCases } from "./cases/run";
export type { RuleCasesOutcome, RuleCaseResult } from "./cases/run";
export { makeDevice, TEST_NOW } from "./testing/make-device";
export type { MakeDeviceOptions } from "./testing/make-device";
export { PASS, FAIL, UNKNOWN } from "./types";
export type {
  CompiledCondition,
  CompiledException,
  CompiledRule,
  CompiledRuleSet,
  EvalContext,
  Outcome,
  RuleInfo,
  RuleRegression,
  RuleSettings,
  RuleThreshold,
  UnknownMode,
} from "./types";
