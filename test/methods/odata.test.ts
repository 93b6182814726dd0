import { isAvHealthError } from "../../src/errors";
import { FILTERABLE_FIELDS } from "../../src/model/device";
import { validateODataFilter } from "../../src/methods/odata";

function positionOf(filter: string): number | "valid" | string {
  try {
    validateODataFilter(filter);
    return "valid";
  } catch (error) {
    return isAvHealthError(error, "ODATA_FILTER_INVALID") ? (error.details.position as number) : String(error);
  }
}

describe("validateODataFilter", () => {
  it.each([
    "avMode eq '1'",
    "ComputerDNSName eq 'PC1.contoso.com'",
    "(osKind eq 'windows' or osKind eq 'mac') and avIsSignatureUpToDate ne 'True'",
    "rbacGroupId eq 712 or rbacGroupId eq -1",
    "quickScanResult eq null",
    "computerDnsName eq 'o''brien'",
    "((machineId eq 'a'))",
  ])("accepts %s", (filter) => {
    expect(positionOf(filter)).toBe("valid");
  });

  it.each(FILTERABLE_FIELDS.map((f) => [f]))("accepts every filterable field: %s", (field) => {
    expect(positionOf(field === "rbacGroupId" ? `${field} eq 1` : `${field} eq 'x'`)).toBe("valid");
  });

  // filter, 0-based position of the problem
  it.each<[string, number]>([
    ["rbacGroupName eq 'Lab'", 0],
    ["id eq 'abc'", 0],
    ["avMode eq '1' and lastSeenTime eq '2024-01-01'", 18],
    ["avMode gt '1'", 7],
    ["avMode eq 1", 10],
    ["rbacGroupId eq '712'", 15],
    ["rbacGroupId eq 7.5", 15],
    ["avMode eq '1", 10],
    ["(avMode eq '1'", 14],
    ["avMode eq '1')", 13],
    ["startswith(computerDnsName, 'a')", 0],
    ["avMode eq '1' avMode eq '2'", 14],
    ["avMode eq '1' and", 17],
    ["", 0],
    ["avMode eq '1' ; drop", 14],
    ["avMode in ('1','2')", 7],
  ])("refuses %j at position %i", (filter, position) => {
    expect(positionOf(filter)).toBe(position);
  });
});
