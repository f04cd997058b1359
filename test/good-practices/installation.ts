/**
 * A compliant DRA driver installation as plain objects (the shape of the upstream example
 * driver's chart, with the good practices applied), for rule tests to break one thing at a time.
 */
export interface Installation {
  serviceAccount: any;
  clusterRole: any;
  clusterRoleBinding: any;
  daemonSet: any;
  policy: any;
  policyBinding: any;
  prometheusRule: any;
}

export const NAMESPACE = 'gpu-system';
export const SERVICE_ACCOUNT = 'gpu-kubelet-plugin';
export const USERNAME = `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`;

export function installation(): Installation {
  return {
    serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SERVICE_ACCOUNT, namespace: NAMESPACE } },
    clusterRole: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'gpu-kubelet-plugin' },
      rules: [
        { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims'], verbs: ['get'] },
        { apiGroups: ['resource.k8s.io'], resources: ['resourceslices'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      ],
    },
    clusterRoleBinding: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'gpu-kubelet-plugin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'gpu-kubelet-plugin' },
      subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: NAMESPACE }],
    },
    daemonSet: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'gpu-kubelet-plugin', namespace: NAMESPACE },
      spec: {
        selector: { matchLabels: { app: 'gpu-kubelet-plugin' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: {
            labels: { app: 'gpu-kubelet-plugin' },
            annotations: { 'cluster-autoscaler.kubernetes.io/enable-ds-eviction': 'false' },
          },
          spec: {
            serviceAccountName: SERVICE_ACCOUNT,
            priorityClassName: 'system-node-critical',
            tolerations: [
              { key: 'ToBeDeletedByClusterAutoscaler', operator: 'Exists', effect: 'NoSchedule' },
              { key: 'karpenter.sh/disrupted', operator: 'Exists', effect: 'NoSchedule' },
            ],
            containers: [{
              name: 'plugin',
              image: 'registry.example.com/gpu-driver:v1',
              env: [
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
                { name: 'DRIVER_NAME', value: 'gpu.example.com' },
              ],
              livenessProbe: { grpc: { port: 51515, service: 'liveness' }, failureThreshold: 3, periodSeconds: 10 },
              volumeMounts: [
                { name: 'plugins-registry', mountPath: '/var/lib/kubelet/plugins_registry' },
                { name: 'plugins', mountPath: '/var/lib/kubelet/plugins' },
              ],
            }],
            volumes: [
              { name: 'plugins-registry', hostPath: { path: '/var/lib/kubelet/plugins_registry' } },
              { name: 'plugins', hostPath: { path: '/var/lib/kubelet/plugins' } },
            ],
          },
        },
      },
    },
    policy: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'gpu-resourceslices' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [{ apiGroups: ['resource.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['resourceslices'] }],
        },
        matchConditions: [{ name: 'isDriver', expression: `request.userInfo.username == "${USERNAME}"` }],
        variables: [
          { name: 'userNodeName', expression: "request.userInfo.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')" },
          { name: 'objectNodeName', expression: '(request.operation == "DELETE" ? oldObject : object).spec.?nodeName.orValue("")' },
        ],
        validations: [
          { expression: 'variables.userNodeName != ""' },
          { expression: 'variables.userNodeName == variables.objectNodeName' },
        ],
      },
    },
    policyBinding: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'gpu-resourceslices' },
      spec: { policyName: 'gpu-resourceslices', validationActions: ['Deny'] },
    },
    prometheusRule: {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'dra', namespace: 'monitoring' },
      spec: {
        groups: [{
          name: 'dra',
          rules: [
            { record: 'dra:resource_claim_workqueue_depth', expr: 'sum(workqueue_depth{name="resource_claim"})' },
            { record: 'dra:scheduler_sli_p99', expr: 'histogram_quantile(0.99, sum(increase(scheduler_pod_scheduling_sli_duration_seconds_bucket[5m])) by (le))' },
            { record: 'dra:kubelet_prepare_p99', expr: 'histogram_quantile(0.99, sum(rate(dra_operations_duration_seconds_bucket[5m])) by (le))' },
            { alert: 'DraPluginGrpcSlow', expr: 'histogram_quantile(0.99, sum(rate(dra_grpc_operations_duration_seconds_bucket[5m])) by (le)) > 1', for: '10m' },
          ],
        }],
      },
    },
  };
}

export function objectsOf(inst: Installation): any[] {
  return Object.values(inst);
}

export function clusterRole(name: string, rules: any[], labels?: { [key: string]: string }): any {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, ...(labels ? { labels } : {}) }, rules };
}

export function role(name: string, namespace: string, rules: any[]): any {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules };
}

export function clusterRoleBinding(name: string, roleName: string, subjects: any[]): any {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects,
  };
}

export function roleBinding(name: string, namespace: string, roleKind: 'Role' | 'ClusterRole', roleName: string, subjects: any[]): any {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
    subjects,
  };
}

export function pluginContainer(inst: Installation): any {
  return inst.daemonSet.spec.template.spec.containers[0];
}
