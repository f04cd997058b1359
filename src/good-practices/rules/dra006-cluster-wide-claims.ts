import { GoodPracticeRule } from '../finding';
import { describeSubject, ObjectIndex, RESOURCE_GROUP, rulesGranting } from '../object-index';
import { Rule, RuleResult, Violation } from '../rule';
import { FindingSeverity } from '../severity';

const CLAIM_RESOURCES = ['resourceclaims', 'resourceclaimtemplates'];

/** DRA006: workload users get ResourceClaims and ResourceClaimTemplates per namespace. */
export class ClusterWideClaimsRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: 'DRA006',
    severity: FindingSeverity.WARNING,
    title: 'resourceclaims / resourceclaimtemplates permissions granted cluster-wide to non-admins',
    practice: '"Separate permissions to DRA related APIs": people deploying Pods with claims need ResourceClaims and ResourceClaimTemplates, '
      + 'and both APIs are namespace scoped: a ClusterRoleBinding hands them every namespace\'s claims (and the devices behind them).',
    fix: 'Grant these resources with a RoleBinding in each workload namespace (or aggregate them into the built-in edit/admin roles, which are bound per namespace); '
      + 'keep ClusterRoleBindings for admins and drivers.',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    for (const grant of index.grants) {
      if (!grant.clusterWide || index.isAdmin(grant.subject) || index.isDriver(grant.subject)) continue;
      const granted = CLAIM_RESOURCES.filter(resource => rulesGranting(grant.role, RESOURCE_GROUP, resource).length > 0);
      if (granted.length > 0) {
        violations.push({
          source: grant.binding,
          message: `grants ${granted.join(', ')} in every namespace (ClusterRole ${grant.role.ref.name}) to ${describeSubject(grant.subject)}, `
            + 'which is not a cluster admin',
        });
      }
    }
    return { violations };
  }
}
