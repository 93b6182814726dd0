/** Device-rule outcomes per RBAC group (summed over enabled rules), for the HTML and Markdown charts. */
import type { RbacGroupOutcome } from "../../report-model/types";

export const NO_GROUP = "(no group)";

export class GroupTally {
  private readonly groups = new Map<string, RbacGroupOutcome>();

  of(name: string | null): RbacGroupOutcome {
    const key = name ?? NO_GROUP;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { rbacGroupName: key, pass: 0, fail: 0, unknown: 0, waived: 0 };
      this.groups.set(key, group);
    }
    return group;
  }

  /** Worst first (fail + unknown, then fail), then by name, so charts can take the head of the list. */
  list(): RbacGroupOutcome[] {
    return [...this.groups.values()].sort(
      (a, b) => b.fail + b.unknown - (a.fail + a.unknown) || b.fail - a.fail || (a.rbacGroupName < b.rbacGroupName ? -1 : a.rbacGroupName > b.rbacGroupName ? 1 : 0),
    );
  }
}
