/**
 * The part of an avhealth JSON report (versions 1 and 2) that a baseline is read for, as one ajv schema that the
 * type is checked against. Other keys are allowed and ignored: a baseline only needs ids, statuses, percents and
 * the failing devices.
 */
import type { JSONSchemaType } from "ajv";

export interface BaselineReportInput {
  kind: "avhealth-report";
  schemaVersion: number;
  evaluatedAt: string;
  snapshot: { digest: string; tenantId?: string | null };
  rules: Array<{
    id: string;
    status: "pass" | "fail" | "indeterminate" | "disabled";
    percent: number;
    failingDevices: Array<{ machineId: string; computerDnsName?: string | null }>;
  }>;
}

/** The newest report version this program writes and reads. */
export const NEWEST_REPORT_VERSION = 2;

export const baselineReportSchema: JSONSchemaType<BaselineReportInput> = {
  type: "object",
  required: ["kind", "schemaVersion", "evaluatedAt", "snapshot", "rules"],
  properties: {
    kind: { type: "string", const: "avhealth-report" },
    schemaVersion: { type: "integer", minimum: 1, maximum: NEWEST_REPORT_VERSION },
    evaluatedAt: { type: "string" },
    snapshot: {
      type: "object",
      required: ["digest"],
      properties: {
        digest: { type: "string" },
        tenantId: { type: "string", nullable: true },
      },
    },
    rules: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "status", "percent", "failingDevices"],
        properties: {
          id: { type: "string" },
          status: { type: "string", enum: ["pass", "fail", "indeterminate", "disabled"] },
          percent: { type: "number" },
          failingDevices: {
            type: "array",
            items: {
              type: "object",
              required: ["machineId"],
              properties: {
                machineId: { type: "string" },
                computerDnsName: { type: "string", nullable: true },
              },
            },
          },
        },
      },
    },
  },
};
