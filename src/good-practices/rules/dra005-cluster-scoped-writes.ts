import { RULE_IDS } from '../../common/good-practice-ids';
import { GoodPracticeRule } from '../finding';
import { describeSubject, grantsWrite, ObjectIndex } from '../object-index';
import { Rule, RuleResult, Violation } from '../rule';
import { FindingSeverity } from '../severity';

const CLUSTER_SCOPED = ['deviceclasses', 'resourceslices', 'devicetaintrules'];

/** DRA005: only admins and drivers write DeviceClasses, ResourceSlices and DeviceTaintRules. */
export class ClusterScopedWritesRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.clusterScopedWrites,
    severity: FindingSeverity.ERROR,
    title: 'Write on deviceclasses, resourceslices or devicetaintrules granted to someone other than admins and drivers',
    practice: '"Separate permissions to DRA related APIs": DeviceClasses and ResourceSlices should be restricted to admins and the DRA drivers. '
      + 'Whoever writes them decides which devices exist and who may get them, on every node.',
    fix: 'Bind write verbs on these resources only to cluster admins and to the ServiceAccounts of DRA drivers (DraRbac\'s admin persona); '
      + 'give everyone else read access at most. Declare extra admins with adminSubjects (--admin).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    // A RoleBinding cannot grant cluster-scoped resources: only ClusterRoleBindings matter.
    for (const grant of index.clusterWideGrantsToOthers()) {
      const written = CLUSTER_SCOPED.filter(resource => grantsWrite(grant.role, resource));
      if (written.length > 0) {
        violations.push({
          source: grant.binding,
          message: `grants write on ${written.join(', ')} (ClusterRole ${grant.role.ref.name}) to ${describeSubject(grant.subject)}, `
            + 'which is neither a cluster admin nor a DRA driver',
        });
      }
    }
    return { violations };
  }
}
