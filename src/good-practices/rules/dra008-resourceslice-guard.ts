import { AdmitReason, PolicyEvaluator, PolicyVerdict } from '../../cel/policy-evaluation';
import { RULE_IDS } from '../../common/good-practice-ids';
import { RESOURCE_API_GROUP } from '../../rbac/api';
import { kubeletPluginSliceRequests, SliceRequest } from '../admission/slice-requests';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, covers, describeSubject, grantsWrite, ObjectIndex, serviceAccountOf } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { defaultResourceVersions, OPT_IN_SLICE_VERSIONS, targetVersion } from '../engine/served-apis';
import { FindingSeverity } from '../engine/severity';

/** What every policy does with one request, and what that adds up to. */
interface Outcome {
  readonly slice: SliceRequest;
  readonly verdicts: Array<{ policy: PolicyEvaluator; verdict: PolicyVerdict }>;
  /** deny: some policy denies it; admit: none does and all could be evaluated; unknown otherwise. */
  readonly result: 'deny' | 'admit' | 'unknown';
}

/**
 * DRA008: a kubelet plugin may only write the ResourceSlices of the node its pod runs on.
 * Judged by evaluating the ValidatingAdmissionPolicies on the writes the plugin could send,
 * not by reading their names.
 */
export class ResourceSliceGuardRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.resourceSliceGuard,
    severity: FindingSeverity.ERROR,
    title: 'Driver kubelet plugin can write ResourceSlices of other nodes: no enforced ValidatingAdmissionPolicy denies it',
    practice: '"Separate permissions to DRA related APIs": RBAC lets a driver\'s ServiceAccount write every ResourceSlice; '
      + 'a ValidatingAdmissionPolicy keyed on its username and the node-name claim of its token confines each pod to its own node\'s slices. '
      + 'The checker evaluates the policies (match constraints through each served API version, match conditions, variables, validations) '
      + 'on the writes a plugin on one node could send: another node\'s slice, an allNodes or nodeSelector slice, a token without a node name. '
      + 'A policy naming another username never applies (NVIDIA dra-driver issue #1317), and one matching only unserved API versions never runs.',
    fix: 'Add a ValidatingAdmissionPolicy on resourceslices CREATE/UPDATE/DELETE (apiVersions ["*"] or the served v1) whose match condition is '
      + 'request.userInfo.username == "system:serviceaccount:<namespace>:<serviceaccount>" of this driver\'s kubelet plugin and whose validations require '
      + 'request.userInfo.extra[\'authentication.kubernetes.io/node-name\'] to be set and equal to the slice\'s spec.nodeName (so allNodes and nodeSelector slices '
      + 'are denied), plus a ValidatingAdmissionPolicyBinding with validationActions [Deny] (DraDriver builds both from the same ServiceAccount).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    const notes: string[] = [];
    const target = targetVersion(index.options);
    const served = defaultResourceVersions('resourceslices', target);
    const policies = index.policyEvaluators.filter(p => p.concerns(RESOURCE_API_GROUP, 'resourceslices'));
    // A policy whose match condition names one username is judged only for that user: with many drivers, each has its own.
    const forAnyone = policies.filter(p => p.onlyUsername === undefined);
    const forUser = new Map<string, PolicyEvaluator[]>();
    for (const p of policies.filter(q => q.onlyUsername !== undefined)) forUser.set(p.onlyUsername!, [...forUser.get(p.onlyUsername!) ?? [], p]);
    const webhooks = sliceWebhooks(index);
    const seen = new Set<string>();
    for (const grant of index.grants) {
      const subject = grant.subject;
      const account = serviceAccountOf(subject);
      if (!grant.clusterWide || account === undefined || !grantsWrite(grant.role, 'resourceslices')) continue;
      // Kubelet plugins (DaemonSets), declared drivers and accounts a node-restricting policy names; a controller publishes slices of no node.
      if (!index.provenDriverServiceAccounts.has(account) && !index.policyNamedServiceAccounts.has(account)) continue;
      // A driver's controller runs on no node: it is judged by the real server in the cluster tests, not as a plugin here.
      if (index.controllerServiceAccounts.has(account) && !index.drivers.some(d => d.serviceAccount === account)) continue;
      // A binding listing the same subject twice is one finding.
      const grantKey = `${grant.binding.ref.name}/${subject.key}`;
      if (seen.has(grantKey)) continue;
      seen.add(grantKey);

      const username = `system:serviceaccount:${subject.namespace}:${subject.name}`;
      const who = describeSubject(subject);
      const candidates = [...forAnyone, ...forUser.get(username) ?? []];
      const othersPolicies = policies.filter(p => p.onlyUsername !== undefined && p.onlyUsername !== username);
      const outcomes = served.flatMap(version => kubeletPluginSliceRequests(username, version)
        .map(slice => judge(slice, candidates, served, webhooks)));
      const admitted = outcomes.filter(o => !o.slice.allowed && o.result === 'admit');
      const unknown = outcomes.filter(o => !o.slice.allowed && o.result === 'unknown');
      if (admitted.length > 0) {
        violations.push({
          source: grant.binding,
          message: `grants ${who} write on resourceslices, but ${whyAdmitted(admitted, candidates, othersPolicies, username, target)}; admitted: ${listRequests(admitted)}`,
        });
      } else if (unknown.length > 0) {
        notes.push(`DRA008: cannot evaluate whether ${who} is confined to its node's ResourceSlices (not a pass): ${cannotEvaluate(unknown, webhooks)}`);
      }
      const blocked = outcomes.filter(o => o.slice.allowed && o.result === 'deny');
      if (blocked.length > 0) {
        const denial = blocked[0].verdicts.find(v => v.verdict.kind === 'deny')!;
        notes.push(`DRA008: ValidatingAdmissionPolicy ${denial.policy.name} denies ${who} ${listRequests(blocked)} `
          + `(${(denial.verdict as { message: string }).message}): its kubelet plugin cannot publish its own devices`);
      }
      // With matchPolicy Equivalent (the default), writes through an opt-in version are matched as through a served one.
      if (admitted.length === 0 && candidates.some(p => p.policy.spec?.matchConstraints?.matchPolicy === 'Exact')) {
        for (const version of OPT_IN_SLICE_VERSIONS.filter(v => !served.includes(v))) {
          const withVersion = [...served, version];
          const optIn = kubeletPluginSliceRequests(username, version).map(slice => judge(slice, candidates, withVersion, webhooks))
            .filter(o => !o.slice.allowed && o.result === 'admit');
          if (optIn.length > 0) {
            notes.push(`DRA008: where ${RESOURCE_API_GROUP}/${version} is enabled (--runtime-config), the policies admit ${who}'s ${listRequests(optIn)} `
              + `through ${version}: ${whyAdmitted(optIn, candidates, othersPolicies, username, target)}`);
          }
        }
      }
    }
    return { violations, notes };
  }
}

function judge(slice: SliceRequest, policies: PolicyEvaluator[], served: readonly string[], webhooks: string[]): Outcome {
  const verdicts = policies.map(policy => ({ policy, verdict: policy.evaluate(slice.request, served) }));
  const result = verdicts.some(v => v.verdict.kind === 'deny') ? 'deny'
    : verdicts.some(v => v.verdict.kind === 'cannot-evaluate') || webhooks.length > 0 ? 'unknown' : 'admit';
  return { slice, verdicts, result };
}

/** Why the policies let these writes through, policy by policy; and, when none applies, the policies of other users. */
function whyAdmitted(admitted: Outcome[], policies: PolicyEvaluator[], othersPolicies: PolicyEvaluator[], username: string,
  target: { major: number; minor: number }): string {
  const reasons = policies.map(policy => {
    const why = new Set(admitted.map(o => o.verdicts.find(v => v.policy === policy)!.verdict).filter(v => v.kind === 'admit').map(v => (v as { why: AdmitReason }).why));
    if (why.has(AdmitReason.CONDITION_FALSE)) return leftOut(policy, username);
    if (why.has(AdmitReason.NOT_MATCHED)) {
      const versions = [...new Set(asArray(policy.policy.spec?.matchConstraints?.resourceRules)
        .filter(r => covers(r.apiGroups, RESOURCE_API_GROUP)).flatMap(r => asArray(r.apiVersions)))];
      const served = defaultResourceVersions('resourceslices', target);
      return `ValidatingAdmissionPolicy ${policy.name} does not match them (its rules name ${RESOURCE_API_GROUP} ${versions.join(', ') || 'no version'} `
        + `and operations ${describeOperations(policy)}; Kubernetes ${target.major}.${target.minor} serves resourceslices through ${served.join(', ')} by default)`;
    }
    if (why.has(AdmitReason.NOT_ENFORCED)) return `ValidatingAdmissionPolicy ${policy.name} has no ValidatingAdmissionPolicyBinding with validationActions [Deny] for them`;
    if (why.has(AdmitReason.VALIDATIONS_PASS)) return `ValidatingAdmissionPolicy ${policy.name}'s validations let them through`;
    return undefined;
  }).filter(r => r !== undefined);
  if (reasons.length > 0) return reasons.join('; ');
  if (othersPolicies.length === 0) return 'no ValidatingAdmissionPolicy restricts its ResourceSlice writes to its own node';
  // With many drivers, each with its own policy, name a few.
  const more = othersPolicies.length > 3 ? `; and ${othersPolicies.length - 3} more policies for other users` : '';
  return `${othersPolicies.slice(0, 3).map(p => leftOut(p, username)).join('; ')}${more}`;
}

function leftOut(policy: PolicyEvaluator, username: string): string {
  const named = [...new Set(JSON.stringify(policy.policy.spec?.matchConditions ?? []).match(/system:serviceaccount:[a-z0-9.-]+:[a-z0-9.-]+/g) ?? [])];
  return `ValidatingAdmissionPolicy ${policy.name}'s matchConditions leave out ${username}${named.length > 0 ? ` (they name ${named.join(', ')})` : ''}, so it never applies to this driver`;
}

function describeOperations(policy: PolicyEvaluator): string {
  const ops = [...new Set(asArray(policy.policy.spec?.matchConstraints?.resourceRules).flatMap(r => asArray(r.operations)))];
  return ops.join(', ') || 'none';
}

/** `CREATE, UPDATE, DELETE of an allNodes slice; CREATE of ...`, in the requests' order. */
function listRequests(outcomes: Outcome[]): string {
  const byTarget = new Map<string, string[]>();
  for (const { slice } of outcomes) {
    const ops = byTarget.get(slice.target) ?? [];
    if (!ops.includes(slice.request.operation)) ops.push(slice.request.operation);
    byTarget.set(slice.target, ops);
  }
  return [...byTarget].map(([target, ops]) => `${ops.join('/')} of ${target}`).join(', ');
}

function cannotEvaluate(unknown: Outcome[], webhooks: string[]): string {
  const reasons = new Set<string>();
  for (const o of unknown) {
    for (const { policy, verdict } of o.verdicts) {
      if (verdict.kind === 'cannot-evaluate') reasons.add(`ValidatingAdmissionPolicy ${policy.name}: ${verdict.reason}`);
    }
  }
  for (const webhook of webhooks) reasons.add(`ValidatingWebhookConfiguration ${webhook} also receives ResourceSlice writes, and its decisions are not known here`);
  return `${[...reasons].join('; ')} (undecided: ${listRequests(unknown)})`;
}

/** Validating webhooks that receive ResourceSlice writes: they may deny what the policies admit. */
function sliceWebhooks(index: ObjectIndex): string[] {
  return index.ofKind('ValidatingWebhookConfiguration')
    .filter(source => asArray(source.object.webhooks).some(w => asArray(w?.rules).some(r => covers(r?.apiGroups, RESOURCE_API_GROUP)
      && asArray(r?.resources).some(res => res === 'resourceslices' || res === '*' || res === '*/*'))))
    .map(source => source.ref.name);
}
