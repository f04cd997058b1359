import { RULE_IDS } from '../../common/good-practice-ids';
import { GoodPracticeRule } from '../engine/finding';
import { describeSubject, grantsWrite, ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';

const CLAIM_RESOURCES = ['resourceclaims', 'resourceclaimtemplates'];

/**
 * DRA006: workload users get ResourceClaims and ResourceClaimTemplates per namespace.
 * Read-only access cluster-wide is the viewer persona (dashboards, SREs) and is not flagged:
 * what the page keeps per namespace is the power to claim devices.
 */
export class ClusterWideClaimsRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.clusterWideClaims,
    severity: FindingSeverity.WARNING,
    title: 'resourceclaims / resourceclaimtemplates write permissions granted cluster-wide to non-admins',
    practice: '"Separate permissions to DRA related APIs": people deploying Pods with claims need ResourceClaims and ResourceClaimTemplates, '
      + 'and both APIs are namespace scoped: a ClusterRoleBinding lets them claim devices in every namespace. (Read-only access cluster-wide, the viewer persona, is not flagged.)',
    fix: 'Grant these resources with a RoleBinding in each workload namespace (or aggregate them into the built-in edit/admin roles, which are bound per namespace); '
      + 'keep ClusterRoleBindings for admins and drivers. A driver\'s own controller that creates claim templates in users\' namespaces is recognised '
      + 'when it is a Deployment in the namespace of the driver\'s kubelet plugin; declare one deployed elsewhere with driverServiceAccounts '
      + '(--driver-sa <namespace>:<name>), and extra admins with adminSubjects (--admin).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    for (const grant of index.clusterWideGrantsToOthers()) {
      const granted = CLAIM_RESOURCES.filter(resource => grantsWrite(grant.role, resource));
      if (granted.length > 0) {
        violations.push({
          source: grant.binding,
          message: `grants write on ${granted.join(', ')} in every namespace (ClusterRole ${grant.role.ref.name}) to ${describeSubject(grant.subject)}, `
            + 'which is neither a cluster admin nor a DRA driver (declare a driver\'s controller with --driver-sa)',
        });
      }
    }
    return { violations };
  }
}
