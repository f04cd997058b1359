import { GoodPracticeRule } from '../finding';
import { describeRef, describeSubject, grantsWrite, ObjectIndex } from '../object-index';
import { Rule, RuleResult, Violation } from '../rule';
import { FindingSeverity } from '../severity';

/** DRA008: a driver may only write the ResourceSlices of the node its pod runs on. */
export class ResourceSliceGuardRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: 'DRA008',
    severity: FindingSeverity.ERROR,
    title: 'Driver ServiceAccount writes ResourceSlices without a matching node-restricting ValidatingAdmissionPolicy',
    practice: '"Separate permissions to DRA related APIs": RBAC lets a driver\'s ServiceAccount write every ResourceSlice; '
      + 'a ValidatingAdmissionPolicy keyed on its username and the node-name claim of its token confines each pod to its own node\'s slices. '
      + 'A policy naming another username never applies (the pattern of NVIDIA dra-driver issue #1317).',
    fix: 'Add a ValidatingAdmissionPolicy on resourceslices CREATE/UPDATE/DELETE whose match condition is '
      + 'request.userInfo.username == "system:serviceaccount:<namespace>:<serviceaccount>" of this driver and that compares '
      + 'request.userInfo.extra[\'authentication.kubernetes.io/node-name\'] with the slice\'s spec.nodeName, '
      + 'plus a ValidatingAdmissionPolicyBinding with validationActions [Deny] (DraDriver builds both from the same ServiceAccount).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    const seen = new Set<string>();
    for (const grant of index.grants) {
      const subject = grant.subject;
      if (!grant.clusterWide || subject.kind !== 'ServiceAccount' || !grantsWrite(grant.role, 'resourceslices')) continue;
      // Drivers proven by a DaemonSet or declared; a ServiceAccount known only from a policy is guarded by that policy.
      if (!index.provenDriverServiceAccounts.has(`${subject.namespace}:${subject.name}`)) continue;
      // A binding listing the same subject twice is one finding.
      const grantKey = `${grant.binding.ref.name}/${subject.key}`;
      if (seen.has(grantKey)) continue;
      seen.add(grantKey);

      const username = `system:serviceaccount:${subject.namespace}:${subject.name}`;
      // A policy that names no ServiceAccount applies to every user, this one included.
      const applying = [...index.resourceSlicePoliciesByUsername.get('') ?? [], ...index.resourceSlicePoliciesByUsername.get(username) ?? []];
      const problem = applying.length === 0
        ? noPolicyMessage(index, username)
        : applying.some(p => p.enforced)
          ? undefined
          : `the node-restricting policy ${applying.map(p => p.source.ref.name).join(', ')} for ${username} has no ValidatingAdmissionPolicyBinding with validationActions [Deny]`;
      if (problem) {
        violations.push({
          source: grant.binding,
          message: `grants ${describeSubject(subject)} write on resourceslices, but ${problem}`,
        });
      }
    }
    return { violations };
  }
}

function noPolicyMessage(index: ObjectIndex, username: string): string {
  const others = index.resourceSlicePolicies;
  if (others.length === 0) {
    return 'no ValidatingAdmissionPolicy restricts its ResourceSlice writes to its own node';
  }
  // Name a few: with many drivers, the full list would drown the message.
  const shown = others.slice(0, 3).map(p => `${describeRef(p.source.ref)}: ${p.usernames.join(', ')}`);
  const more = others.length > 3 ? `; and ${others.length - 3} more` : '';
  return `the ResourceSlice policies match other usernames (${shown.join('; ')}${more}), not ${username}, so they never apply to this driver`;
}
