import { RULE_IDS } from '../../common/good-practice-ids';
import { formatMinor, isAtLeast, KUBERNETES_CHANGES } from '../../common/kubernetes-versions';
import { ARBITRARY_NODE_WRITE_VERBS, CLAIM_BINDING_SUBRESOURCE, CLAIM_DRIVER_SUBRESOURCE, RESOURCE_API_GROUP } from '../../rbac/api';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, covers, coversResource, describeSubject, ObjectIndex, serviceAccountOf } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { targetVersion } from '../engine/served-apis';
import { FindingSeverity } from '../engine/severity';

/** The release that authorizes claim status writes per node (DRAResourceClaimGranularStatusAuthorization). */
const GRANULAR_STATUS = formatMinor(KUBERNETES_CHANGES.granularClaimStatusAuthorization);

/** What the kubeletplugin helper calls, cited by the finding. */
const HELPER_NEEDS = 'resourceclaims get; resourceslices list, watch, create, update, delete; nodes get';

/**
 * DRA014: a kubelet plugin, which runs on every node, gets no cluster-wide power over
 * claims beyond reading the ones it prepares.
 */
export class PluginClaimAccessRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.pluginClaimAccess,
    severity: FindingSeverity.WARNING,
    title: 'Kubelet plugin granted claim status writes beyond its node, claim allocation writes, or claim list/watch, cluster-wide',
    practice: '"Separate permissions to DRA related APIs": a kubelet plugin runs on every node, so whatever its ServiceAccount may do, any node may do. '
      + `The kubeletplugin helper needs ${HELPER_NEEDS}. Granted resourceclaims list/watch, each node's plugin reads every claim in the cluster; `
      + `granted resourceclaims/status update or patch before Kubernetes ${GRANULAR_STATUS} (which authorizes status writes per node), `
      + 'any node\'s plugin can rewrite the status of any claim. From 1.36 the same holds for resourceclaims/driver with arbitrary-node verbs '
      + '(device status of claims on every node) and resourceclaims/binding (the allocation and reservations of every claim, the scheduler\'s job).',
    fix: `Grant the kubelet plugin ${HELPER_NEEDS} (DraDriver's default); add resourceclaims/status update and patch, and from ${GRANULAR_STATUS} `
      + 'the resourceclaims/driver associated-node verbs, only for a driver that writes device status, and suppress this rule there with that reason. '
      + 'Never grant a plugin arbitrary-node verbs or resourceclaims/binding: a central controller (DraRbacRules.driverController) writes status of claims on other nodes.',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    const target = targetVersion(index.options);
    const plugins = new Set(index.drivers.map(d => d.serviceAccount));
    const seen = new Set<string>();
    for (const grant of index.grants) {
      const account = serviceAccountOf(grant.subject);
      if (!grant.clusterWide || account === undefined || !plugins.has(account)) continue;
      const key = `${grant.binding.ref.name}/${grant.subject.key}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const rules = asArray(grant.role.object.rules).filter(rule => covers(rule?.apiGroups, RESOURCE_API_GROUP));
      const verbsOn = (resource: string) => new Set(rules.filter(rule => coversResource(rule?.resources, resource))
        .flatMap(rule => asArray(rule?.verbs)));
      const claimVerbs = verbsOn('resourceclaims');
      const statusVerbs = verbsOn('resourceclaims/status');
      const problems: string[] = [];
      const reads = ['list', 'watch', '*'].filter(v => claimVerbs.has(v));
      if (reads.length > 0) problems.push(`resourceclaims ${reads.join(', ')} (every claim of every namespace, from every node)`);
      const writes = ['update', 'patch', '*'].filter(v => statusVerbs.has(v));
      if (writes.length > 0 && !isAtLeast(target, KUBERNETES_CHANGES.granularClaimStatusAuthorization)) {
        problems.push(`resourceclaims/status ${writes.join(', ')} (before ${GRANULAR_STATUS}, any node's plugin can rewrite the status of any claim)`);
      }
      const anyNode = [...ARBITRARY_NODE_WRITE_VERBS, '*'].filter(v => verbsOn(CLAIM_DRIVER_SUBRESOURCE).has(v));
      if (anyNode.length > 0) problems.push(`${CLAIM_DRIVER_SUBRESOURCE} ${anyNode.join(', ')} (device status of claims on every node, not only its own)`);
      const binding = ['update', 'patch', '*'].filter(v => verbsOn(CLAIM_BINDING_SUBRESOURCE).has(v));
      if (binding.length > 0) problems.push(`${CLAIM_BINDING_SUBRESOURCE} ${binding.join(', ')} (the allocation and reservations of every claim)`);
      if (problems.length > 0) {
        violations.push({
          source: grant.binding,
          message: `grants kubelet plugin ${describeSubject(grant.subject)} ${problems.join(' and ')} through ClusterRole ${grant.role.ref.name}; `
            + `the kubeletplugin helper needs ${HELPER_NEEDS}`,
        });
      }
    }
    return { violations };
  }
}
