import { RULE_IDS } from '../../common/good-practice-ids';
import { ARBITRARY_NODE_WRITE_VERBS, CLAIM_BINDING_SUBRESOURCE, CLAIM_DRIVER_SUBRESOURCE } from '../../rbac/api';
import { GoodPracticeRule } from '../engine/finding';
import { describeSubject, grantsAnyOf, grantsWrite, ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';

const CLUSTER_SCOPED = ['deviceclasses', 'resourceslices', 'devicetaintrules'];

/**
 * The claim status writes of 1.36+ (DRAResourceClaimGranularStatusAuthorization) that reach
 * every namespace and node when bound cluster-wide: the allocation and reservations of any
 * claim (the scheduler's), and any driver's device status on any node (a driver controller's).
 */
const CLAIM_STATUS_WRITES: ReadonlyArray<{ resource: string; verbs: readonly string[]; what: string }> = [
  { resource: CLAIM_BINDING_SUBRESOURCE, verbs: ['update', 'patch'], what: 'the allocation and reservations of every claim' },
  { resource: CLAIM_DRIVER_SUBRESOURCE, verbs: ARBITRARY_NODE_WRITE_VERBS, what: 'device status of claims on any node' },
];

/**
 * DRA005: only admins and drivers write DeviceClasses, ResourceSlices and DeviceTaintRules,
 * and only Kubernetes' scheduler, admins and drivers write claim allocations and device status cluster-wide.
 */
export class ClusterScopedWritesRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.clusterScopedWrites,
    severity: FindingSeverity.ERROR,
    title: 'Write on deviceclasses, resourceslices, devicetaintrules, resourceclaims/binding or resourceclaims/driver (arbitrary-node) '
      + 'granted to someone other than admins and drivers',
    practice: '"Separate permissions to DRA related APIs": DeviceClasses and ResourceSlices should be restricted to admins and the DRA drivers. '
      + 'Whoever writes them decides which devices exist and who may get them, on every node; a DeviceTaintRule with NoExecute evicts '
      + 'the pods using the devices it selects. From 1.36, resourceclaims/binding writes any claim\'s allocation and reservations '
      + '(the scheduler\'s job) and resourceclaims/driver with arbitrary-node verbs writes device status of claims on any node.',
    fix: 'Bind write verbs on these resources only to cluster admins and to the ServiceAccounts of DRA drivers (DraRbac\'s admin persona, '
      + 'DraRbacRules.driverController for a driver\'s controller); give everyone else read access at most. Declare extra admins with adminSubjects (--admin).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    // A RoleBinding cannot grant cluster-scoped resources: only ClusterRoleBindings matter.
    for (const grant of index.clusterWideGrantsToOthers()) {
      const written = [
        ...CLUSTER_SCOPED.filter(resource => grantsWrite(grant.role, resource)),
        ...CLAIM_STATUS_WRITES.filter(write => grantsAnyOf(grant.role, write.resource, write.verbs))
          .map(write => `${write.resource} (${write.what})`),
      ];
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
