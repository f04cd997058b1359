import { RULE_IDS } from '../../common/good-practice-ids';
import { RESOURCE_API_GROUP } from '../../rbac/api';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, isKubernetesDefault, ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';

/** The DRA resources a rule reaching resource.k8s.io may name. */
export const DRA_RESOURCES = ['deviceclasses', 'resourceslices', 'devicetaintrules', 'resourceclaims', 'resourceclaimtemplates'];

/** DRA007: no `*` in an RBAC rule that reaches the DRA API group. */
export class WildcardRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.wildcards,
    severity: FindingSeverity.ERROR,
    title: 'Wildcard (*, */subresource) in verbs, resources or apiGroups covering resource.k8s.io',
    practice: '"Separate permissions to DRA related APIs" by persona: a wildcard grants every DRA resource and verb, '
      + 'including ones added by later Kubernetes versions (devicetaintrules; resourceclaims/driver and resourceclaims/binding, '
      + 'which authorize claim status writes from 1.36), to whoever holds the role; `*/driver` grants the device status of every driver.',
    fix: 'List the resources and verbs the persona needs (DraRbac builds these rules); never use * with resource.k8s.io.',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    for (const source of [...index.ofKind('ClusterRole'), ...index.ofKind('Role')]) {
      if (isKubernetesDefault(source)) continue;
      asArray(source.object.rules).forEach((rule, i) => {
        const groups = asArray(rule.apiGroups);
        const resources = asArray(rule.resources);
        if (!groups.includes('*') && !groups.includes(RESOURCE_API_GROUP)) return;
        // `*/status`, `*/driver`: a subresource of every resource in the group.
        const isWildcard = (r: unknown) => r === '*' || String(r).startsWith('*/');
        const reachesDra = resources.some(r => isWildcard(r) || DRA_RESOURCES.includes(String(r).split('/')[0]));
        if (!reachesDra) return;
        const wildcards = (['apiGroups', 'resources', 'verbs'] as const)
          .filter(field => asArray(rule[field]).some(value => (field === 'resources' ? isWildcard(value) : value === '*')));
        if (wildcards.length > 0) {
          violations.push({
            source,
            message: `rules[${i}] uses * in ${wildcards.join(', ')} and so covers ${RESOURCE_API_GROUP} (apiGroups ${JSON.stringify(groups)}, `
              + `resources ${JSON.stringify(resources)}, verbs ${JSON.stringify(asArray(rule.verbs))})`,
          });
        }
      });
    }
    return { violations };
  }
}
