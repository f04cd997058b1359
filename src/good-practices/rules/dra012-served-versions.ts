import { RULE_IDS } from '../../common/good-practice-ids';
import { formatMinor } from '../../common/kubernetes-versions';
import { RESOURCE_API_GROUP } from '../../rbac/api';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, covers, NODE_NAME_CLAIM, ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { defaultResourceVersions, defaultVersionOf, KNOWN_GROUPS, removedVersion, servedByDefault, targetVersion } from '../engine/served-apis';
import { FindingSeverity } from '../engine/severity';

/** The resources of resource.k8s.io an admission rule may name. */
const DRA_RESOURCES = ['deviceclasses', 'resourceclaims', 'resourceclaimtemplates', 'resourceslices'];

/**
 * DRA012: DRA and admission objects use API versions the target Kubernetes serves by
 * default, and admission rules on DRA resources name a version that is served.
 */
export class ServedVersionsRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.servedVersions,
    severity: FindingSeverity.ERROR,
    title: 'resource.k8s.io or admissionregistration.k8s.io object, or admission rule, in an API version the target Kubernetes does not serve by default',
    practice: '"DRA driver deployment and maintenance": drivers, DeviceClasses and their ResourceSlice guards are applied through the API versions the cluster serves. '
      + 'Beta and alpha versions of resource.k8s.io and admissionregistration.k8s.io are off by default (1.34 serves resource.k8s.io/v1 only): '
      + 'an object in one is refused by the API server, and a policy rule that names only such versions never matches the driver\'s v1 writes. '
      + 'Kubernetes 1.38 removes resource.k8s.io/v1beta1: not even --runtime-config serves it there.',
    fix: 'Use the GA version the target serves (resource.k8s.io/v1 for DeviceClass, ResourceClaim, ResourceClaimTemplate and ResourceSlice from 1.34; '
      + 'admissionregistration.k8s.io/v1 for policies and webhooks), let admission rules name apiVersions ["*"] or include v1, '
      + 'or declare the cluster\'s version with kubernetesVersion (--kubernetes-version) when it is newer.',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    const target = targetVersion(index.options);
    const release = `Kubernetes ${target.major}.${target.minor}`;
    for (const group of KNOWN_GROUPS) {
      for (const source of index.ofGroup(group)) {
        const [, version] = String(source.object.apiVersion).split('/');
        const kind = String(source.object.kind);
        if (servedByDefault(group, version, kind, target)) continue;
        const served = defaultVersionOf(group, kind, target);
        const removed = removedVersion(group, version, target);
        const why = removed
          ? `is not served by ${release}: Kubernetes ${formatMinor(removed)} removed ${group}/${version}, which no --runtime-config brings back`
          : `is not served by ${release} by default (beta and alpha versions need --runtime-config, and later releases remove them)`;
        violations.push({
          source,
          message: `${group}/${version} ${kind} ${why}; ` + (served ? `use ${group}/${served}` : `${release} has no GA version of ${kind}`),
        });
      }
    }
    for (const source of [...index.ofKind('ValidatingAdmissionPolicy'), ...index.ofKind('ValidatingAdmissionPolicyBinding')]) {
      const match = source.object.kind === 'ValidatingAdmissionPolicy' ? source.object.spec?.matchConstraints : source.object.spec?.matchResources;
      const field = source.object.kind === 'ValidatingAdmissionPolicy' ? 'spec.matchConstraints' : 'spec.matchResources';
      const rules = asArray(match?.resourceRules);
      // With matchPolicy Equivalent a rule for any served version matches the others; a rule naming none never matches.
      const matchesServed = (rule: any, resource: string) => covers(rule?.apiGroups, RESOURCE_API_GROUP) && covers(rule?.resources, resource)
        && (covers(rule?.apiVersions, '*') || defaultResourceVersions(resource, target).some(v => asArray(rule?.apiVersions).includes(v)));
      rules.forEach((rule, i) => {
        const groups = asArray(rule?.apiGroups);
        const versions = asArray(rule?.apiVersions);
        if (!groups.includes(RESOURCE_API_GROUP) || versions.includes('*')) return;
        const resources = asArray(rule?.resources).filter(r => DRA_RESOURCES.includes(r));
        const unmatched = resources.filter(resource => !defaultResourceVersions(resource, target).some(v => versions.includes(v)));
        if (unmatched.length === 0) return;
        // A ResourceSlice guard that no rule matches through a served version confines nothing.
        const guardNeverApplies = unmatched.includes('resourceslices') && !rules.some(other => matchesServed(other, 'resourceslices'))
          && JSON.stringify(source.object.spec ?? {}).includes(NODE_NAME_CLAIM);
        violations.push({
          source,
          message: `${field}.resourceRules[${i}] names ${RESOURCE_API_GROUP} ${versions.join(', ') || '(no version)'} for ${unmatched.join(', ')}, `
            + `none of which ${release} serves by default (it serves ${unmatched.map(r => `${r} through ${defaultResourceVersions(r, target).join(', ')}`).join('; ')}): `
            + 'the rule never matches'
            + (guardNeverApplies
              ? ', so this ResourceSlice guard never applies: every ResourceSlice write it should confine to the writer\'s node is admitted'
              : ''),
        });
      });
    }
    return { violations };
  }
}
