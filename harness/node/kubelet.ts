import { stringify } from 'yaml';

export interface KubeletPaths {
  readonly nodeIp: string;
  readonly cgroupRoot: string;
  readonly containerdSocket: string;
  readonly podLogsDir: string;
  /** The CA that signs the API server's client certificate for kubelets (x509 authentication). */
  readonly clientCaFile: string;
  /** Leave oom_score_adj alone without CAP_SYS_RESOURCE (see hasSysResource). */
  readonly keepOomScoreAdj: boolean;
}

/** The kubelet's port for the API server (logs, exec) and Prometheus (metrics). */
export const KUBELET_PORT = 10250;
export const KUBELET_HEALTHZ_PORT = 10248;

/**
 * The test node's KubeletConfiguration: cgroupfs on cgroup v1 (kubelet 1.34 still allows it;
 * 1.35 refuses it unless failCgroupV1 is false), authenticated and authorized through the API
 * server as on a real node, and none of the host changes a shared machine should not get
 * (iptables chains, image garbage collection of images no registry can give back, evictions).
 */
export function kubeletConfig(p: KubeletPaths): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupsPerQOS: true,
    cgroupRoot: `/${p.cgroupRoot}`,
    enforceNodeAllocatable: ['pods'],
    failSwapOn: false,
    protectKernelDefaults: false,
    makeIPTablesUtilChains: false,
    ...(p.keepOomScoreAdj ? { oomScoreAdj: 0 } : {}),
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    podLogsDir: p.podLogsDir,
    address: p.nodeIp,
    port: KUBELET_PORT,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: KUBELET_HEALTHZ_PORT,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: p.clientCaFile },
    },
    authorization: { mode: 'Webhook' },
    imageGCHighThresholdPercent: 100,
    evictionHard: { 'nodefs.available': '0%', 'nodefs.inodesFree': '0%', 'imagefs.available': '0%' },
    serializeImagePulls: false,
    clusterDomain: 'cluster.local',
    shutdownGracePeriod: '0s',
    // Status changes (Ready, the driver's pods) reach the API server within a second or two.
    nodeStatusReportFrequency: '10s',
    syncFrequency: '10s',
  });
}
