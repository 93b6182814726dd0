/**
 * The library: take a snapshot of Defender antivirus health, evaluate compliance rules over it, write reports.
 * Data flows one way: config/auth/http → methods → normalize → snapshot → rules → reports. The Pulumi resource
 * lives at "pulumi-defender-avhealth/provider" and the policy pack at "pulumi-defender-avhealth/policy", so this
 * entry point loads no Pulumi SDK.
 */
export { AvHealthError, ErrorCodes, isAvHealthError } from "./errors";
export type { ErrorCode, AvHealthErrorOptions } from "./errors";

export { AV_MODES, DEVICE_FIELDS, FILTERABLE_FIELDS, FIELD_KIND } from "./model/device";
export type { AvMode, DeviceField, FieldKind, NormalizedDevice } from "./model/device";

export { resolveConnection, hasTenantConfig, CLOUDS } from "./config";
export { openApiClient } from "./http";
export type { ApiClient, ProgressEvent, ProgressListener, OpenApiClientOptions } from "./http";

export { fetchSnapshot, fetchSnapshotWithConfig } from "./fetch";
export type { FetchSnapshotOptions, FetchSnapshotResult, MethodChoice } from "./fetch";
export { validateODataFilter } from "./methods";

export { readSnapshot, openSnapshotInput } from "./snapshot";
export type { FetchMethod, SnapshotHeader, SnapshotSource, SnapshotSummary, TriStateCounts, OpenedSnapshot } from "./snapshot";

export { loadRuleFile, loadRuleText, evaluate, serializeReport, gateExitCode, runRuleCases, makeDevice } from "./rules";
export type { CompiledRuleSet, Problem, RuleCasesOutcome } from "./rules";

export { loadBaseline, resolveComparisonPath } from "./baseline";
export type { Baseline, PathChoice, PathSource } from "./baseline";

export { renderReport, writeReports, parseFormats } from "./reports";
export type {
  AvHealthReport,
  EvaluationResult,
  RuleResult,
  RuleStatus,
  ExceptionResult,
  RuleComparison,
  BaselineDevice,
  ReportBaselineInfo,
  ReportPublicationInfo,
} from "./report-model/types";

export { generateKeyPair, loadPrivateKey, loadPublicKey, pae, signEnvelope, verifyEnvelope } from "./signing";
export type { Envelope, KeyType, SigningKey, VerifyingKey } from "./signing";
export { LocalCopies, publishSnapshot, verifyPublication } from "./publication";
export type { FleetSnapshotPredicate, FleetSnapshotStatement, PublicationPins, VerifiedPublication } from "./publication";
export { openStore, parseLocation } from "./store";
export type { PublicationStore, StoreCredentials, StoreLocation } from "./store";

export { startEmulator } from "./emulator";
export type { EmulatorOptions, RunningEmulator } from "./emulator";

export { runCli } from "./cli/main";
