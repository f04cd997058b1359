/**
 * The components' own client defaults: kube-controller-manager `--kube-api-qps/--kube-api-burst`,
 * kube-scheduler `KubeSchedulerConfiguration.clientConnection.qps/burst`.
 */
export const COMPONENT_CLIENT_DEFAULTS = {
  'kube-controller-manager': { qps: 20, burst: 30 },
  'kube-scheduler': { qps: 50, burst: 100 },
} as const;
