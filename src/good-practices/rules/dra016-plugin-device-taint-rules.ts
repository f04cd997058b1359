import { RULE_IDS } from '../../common/good-practice-ids';
import { RESOURCE_API_GROUP } from '../../rbac/api';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, covers, describeSubject, ObjectIndex, SA_USERNAME, serviceAccountOf, SourcedObject } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';

const DEVICE_TAINT_RULES = 'devicetaintrules';
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', '*'];
const WRITE_OPERATIONS = ['CREATE', 'UPDATE', 'DELETE'];

/**
 * DRA016: a kubelet plugin that writes DeviceTaintRules (Intel Gaudi taints unhealthy devices)
 * is confined by an admission policy. A DeviceTaintRule is cluster-scoped and selects devices
 * of any driver on any node; `NoExecute` evicts the pods using them. Granted to a plugin,
 * which runs on every node, any node may evict any workload that uses a device.
 */
export class PluginDeviceTaintRulesRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.pluginDeviceTaintRules,
    severity: FindingSeverity.WARNING,
    title: 'Kubelet plugin granted DeviceTaintRule writes with no admission policy confining them',
    practice: '"Separate permissions to DRA related APIs": DeviceTaintRules are cluster-scoped and may select the devices of any driver on any node; '
      + 'a NoExecute taint evicts the pods using them. A kubelet plugin runs on every node, so a grant to it lets any node evict any workload that uses a device.',
    fix: 'Bind a ValidatingAdmissionPolicy (validationActions: [Deny]) on resource.k8s.io devicetaintrules CREATE, UPDATE and DELETE that names the plugin\'s '
      + 'ServiceAccount and allows only rules for its own driver (spec.deviceSelector.driver) and, where it can, its own node\'s pool; '
      + 'or let a central controller write the rules instead of every node\'s plugin. DraDriver\'s writesDeviceTaintRules writes such a policy, '
      + 'limited to the driver and the pool of the plugin\'s node.',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    const plugins = new Set(index.drivers.map(d => d.serviceAccount));
    const confined = confinedUsernames(index);
    const seen = new Set<string>();
    for (const grant of index.grants) {
      const account = serviceAccountOf(grant.subject);
      if (!grant.clusterWide || account === undefined || !plugins.has(account)) continue;
      const verbs = [...new Set(asArray(grant.role.object.rules)
        .filter(rule => covers(rule?.apiGroups, RESOURCE_API_GROUP) && covers(rule?.resources, DEVICE_TAINT_RULES))
        .flatMap(rule => asArray(rule?.verbs).filter(v => WRITE_VERBS.includes(v))))];
      const [namespace, name] = account.split(':');
      const key = `${grant.binding.ref.name}/${account}`;
      if (verbs.length === 0 || confined.has(`system:serviceaccount:${namespace}:${name}`) || seen.has(key)) continue;
      seen.add(key);
      violations.push({
        source: grant.binding,
        message: `grants kubelet plugin ${describeSubject(grant.subject)} ${verbs.join(', ')} on ${DEVICE_TAINT_RULES} through ClusterRole ${grant.role.ref.name}, `
          + 'and no enforced ValidatingAdmissionPolicy on devicetaintrules writes names it: any node\'s plugin may taint, and evict the pods of, '
          + 'any driver\'s devices on any node',
      });
    }
    return { violations };
  }
}

/** Usernames named by a ValidatingAdmissionPolicy, bound with Deny, that matches every DeviceTaintRule write. */
function confinedUsernames(index: ObjectIndex): Set<string> {
  const enforced = new Set(index.ofKind('ValidatingAdmissionPolicyBinding')
    .filter(binding => asArray(binding.object.spec?.validationActions).includes('Deny'))
    .map(binding => binding.object.spec?.policyName));
  const usernames = new Set<string>();
  for (const policy of index.ofKind('ValidatingAdmissionPolicy')) {
    if (!enforced.has(policy.object.metadata?.name) || !matchesTaintRuleWrites(policy)) continue;
    for (const match of JSON.stringify(policy.object.spec).matchAll(SA_USERNAME)) {
      usernames.add(match[0]);
    }
  }
  return usernames;
}

function matchesTaintRuleWrites(policy: SourcedObject): boolean {
  return asArray(policy.object.spec?.matchConstraints?.resourceRules).some(rule =>
    covers(rule?.apiGroups, RESOURCE_API_GROUP) && covers(rule?.resources, DEVICE_TAINT_RULES)
    && WRITE_OPERATIONS.every(op => covers(rule?.operations, op)));
}
