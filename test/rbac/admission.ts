import { AdmitReason, PolicyEvaluator } from '../../src/cel/policy-evaluation';

/**
 * Sample admission requests for one policy and binding, judged by the library's own evaluator
 * (src/cel/policy-evaluation.ts, which the checks use too): the API server's order of binding
 * selectors, match constraints, match conditions, variables and validations, every CEL
 * expression evaluated. The binding is taken as enforcing: these tests judge what the policy says.
 */

export interface AdmissionSample {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly group: string;
  readonly resource: string;
  /** The namespace of the object (undefined for cluster-scoped objects). */
  readonly namespace?: string;
  /** The labels of that namespace (its name label is added automatically). */
  readonly namespaceLabels?: { [key: string]: string };
  readonly object: any;
  readonly oldObject?: any;
  readonly username: string;
  readonly groups?: string[];
}

export interface AdmissionResult {
  readonly outcome: 'not-matched' | 'allowed' | 'denied';
  readonly message?: string;
}

/** The API version the samples are written through: the one each policy's rules name, else v1. */
function versionOf(policy: any, sample: AdmissionSample): string {
  const rule = (policy.spec.matchConstraints?.resourceRules ?? [])
    .find((r: any) => r.apiGroups?.includes(sample.group) && r.resources?.includes(sample.resource));
  const versions: string[] = rule?.apiVersions ?? [];
  return versions.find(v => v !== '*') ?? 'v1';
}

export function evaluatePolicy(policy: any, binding: any, sample: AdmissionSample): AdmissionResult {
  if (binding.spec.policyName !== policy.metadata.name) {
    throw new Error(`binding ${binding.metadata.name} does not bind policy ${policy.metadata.name}`);
  }
  const enforcing = { ...binding, spec: { ...binding.spec, validationActions: ['Deny'] } };
  const version = versionOf(policy, sample);
  const verdict = new PolicyEvaluator(policy, [enforcing]).evaluate({
    group: sample.group,
    version,
    kind: sample.object?.kind ?? sample.oldObject?.kind ?? '',
    resource: sample.resource,
    operation: sample.operation,
    name: sample.object?.metadata?.name ?? sample.oldObject?.metadata?.name ?? '',
    userInfo: { username: sample.username, uid: '', groups: sample.groups ?? [], extra: {} },
    object: sample.operation === 'DELETE' ? null : sample.object,
    oldObject: sample.oldObject ?? null,
    namespaceObject: sample.namespace === undefined ? null : {
      metadata: { name: sample.namespace, labels: { ...sample.namespaceLabels, 'kubernetes.io/metadata.name': sample.namespace } },
    },
  }, [version]);
  switch (verdict.kind) {
    case 'deny': return { outcome: 'denied', message: verdict.message };
    case 'cannot-evaluate': throw new Error(`policy ${policy.metadata.name} cannot be evaluated: ${verdict.reason}`);
    default: return { outcome: verdict.why === AdmitReason.VALIDATIONS_PASS ? 'allowed' : 'not-matched' };
  }
}
