/**
 * The JSON report (cli-and-reports.md) with its keys in the spec's order. serializeReport rebuilds every object
 * in that order before stringifying, so equal facts give byte-identical files whoever assembled the object.
 */
import type { AvHealthReport, ExceptionResult, FailingDevice, RuleResult } from "../../report-model/types";

export function serializeReport(report: AvHealthReport): string {
  return `${JSON.stringify(canonicalReport(report), null, 2)}\n`;
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
    },
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
  };
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
