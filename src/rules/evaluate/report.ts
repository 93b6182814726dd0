/**
 * The JSON report (cli-and-reports.md) with its keys in the spec's order. serializeReport rebuilds every object
 * in that order before stringifying, so equal facts give byte-identical files whoever assembled the object.
 */
import { jsonChunks } from "./report-chunks";
import { BaselineDeviceList, FailingDeviceList } from "./report-devices";
import type { AvHealthReport, BaselineDevice, ExceptionResult, FailingDevice, RuleComparison, RuleResult } from "../../report-model/types";

export function serializeReport(report: AvHealthReport): string {
  return `${JSON.stringify(canonicalReport(report), null, 2)}\n`;
}

/**
 * The same bytes as serializeReport, in chunks, for writing a large report without holding it whole: the
 * device lists are written from the report's own entries (report-devices.ts), not from canonical copies.
 */
export function* serializeReportChunks(report: AvHealthReport): Generator<string> {
  const canonical = canonicalReport({ ...report, rules: [] });
  yield* jsonChunks({ ...canonical, rules: report.rules.map(streamedRule) });
  yield "\n";
}

/** canonicalRule with its device lists left as the report's own arrays, serialized as they stream out. */
function streamedRule(rule: RuleResult): object {
  const shell = canonicalRule({ ...rule, failingDevices: [], comparison: null });
  const c = rule.comparison;
  const comparison =
    c === null
      ? null
      : {
          ...canonicalComparison({ ...c, newlyFailing: [], fixed: [], waived: [], left: [] }),
          newlyFailing: new FailingDeviceList(c.newlyFailing),
          fixed: new BaselineDeviceList(c.fixed),
          waived: new BaselineDeviceList(c.waived),
          left: new BaselineDeviceList(c.left),
        };
  return { ...shell, failingDevices: new FailingDeviceList(rule.failingDevices), comparison };
}

export function canonicalReport(report: AvHealthReport): AvHealthReport {
  const { snapshot } = report;
  return {
    kind: report.kind,
    schemaVersion: report.schemaVersion,
    evaluatedAt: report.evaluatedAt,
    gate: report.gate,
    snapshot: {
      digest: snapshot.digest,
      method: snapshot.method,
      complete: snapshot.complete,
      deviceCount: snapshot.deviceCount,
      generatedTime: snapshot.generatedTime,
      tenantId: snapshot.tenantId,
      ...(snapshot.publication === undefined ? {} : { publication: { ...snapshot.publication } }),
    },
    baseline: report.baseline === null ? null : { file: report.baseline.file, evaluatedAt: report.baseline.evaluatedAt, snapshotDigest: report.baseline.snapshotDigest },
    rules: report.rules.map(canonicalRule),
    exceptions: report.exceptions.map(canonicalException),
  };
}

function canonicalRule(rule: RuleResult): RuleResult {
  const { counts } = rule;
  return {
    id: rule.id,
    description: rule.description,
    severity: rule.severity,
    enforcement: rule.enforcement,
    status: rule.status,
    counts: {
      inScope: counts.inScope,
      pass: counts.pass,
      fail: counts.fail,
      unknown: counts.unknown,
      waived: counts.waived,
      counted: counts.counted,
      passing: counts.passing,
      failing: counts.failing,
    },
    percent: rule.percent,
    threshold: { minPercent: rule.threshold.minPercent, maxFailing: rule.threshold.maxFailing },
    failingDevices: rule.failingDevices.map(canonicalDevice),
    comparison: rule.comparison === null ? null : canonicalComparison(rule.comparison),
    baselineNote: rule.baselineNote,
  };
}

function canonicalComparison(c: RuleComparison): RuleComparison {
  return {
    baselineStatus: c.baselineStatus,
    baselinePercent: c.baselinePercent,
    percentDelta: c.percentDelta,
    regressed: c.regressed,
    ratcheted: c.ratcheted,
    newlyFailing: c.newlyFailing.map(canonicalDevice),
    fixed: c.fixed.map(canonicalBaselineDevice),
    waived: c.waived.map(canonicalBaselineDevice),
    left: c.left.map(canonicalBaselineDevice),
  };
}

function canonicalBaselineDevice(device: BaselineDevice): BaselineDevice {
  return { machineId: device.machineId, computerDnsName: device.computerDnsName };
}

function canonicalDevice(device: FailingDevice): FailingDevice {
  return { machineId: device.machineId, computerDnsName: device.computerDnsName, outcome: device.outcome, reason: device.reason };
}

function canonicalException(exception: ExceptionResult): ExceptionResult {
  return {
    rule: exception.rule,
    reason: exception.reason,
    expires: exception.expires,
    state: exception.state,
    devicesMatched: exception.devicesMatched,
  };
}
