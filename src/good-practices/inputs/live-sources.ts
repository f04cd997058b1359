/**
 * What `cdk8s-dra check --cluster` reads from a live cluster, and so what its auditor may read
 * (DraRbac's `auditors`): the kinds the rules look at, read-only. One list for both, so the
 * auditor's grant cannot drift from what the reader asks for.
 */
export interface LiveSource {
  /** API group (`''` for the core group). */
  readonly group: string;
  readonly version: string;
  /** The resource (plural) the list request names. */
  readonly resource: string;
  /** The kind its items are. */
  readonly kind: string;
  /**
   * The one namespace read.
   * @default - every namespace (or cluster-scoped)
   */
  readonly namespace?: string;
  /** A group the cluster may not serve (a CRD): a 404 there means none exist, not an error. */
  readonly optional?: boolean;
}

export const LIVE_SOURCES: readonly LiveSource[] = [
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet' },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding' },
  { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding' },
  { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration' },
  // DRA011: alerting and recording rules, as PrometheusRules or as rule files in ConfigMaps.
  { group: 'monitoring.coreos.com', version: 'v1', resource: 'prometheusrules', kind: 'PrometheusRule', optional: true },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap' },
  // DRA009, DRA010: the control plane's flags, from its static pods' mirror pods.
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespace: 'kube-system' },
];
