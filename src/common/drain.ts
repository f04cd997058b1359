/**
 * What node autoscalers use when they remove a node, defined once for DraDriver (which keeps
 * its kubelet plugin through these drains) and the DRA004 check (which looks for that).
 */

/** Karpenter's taint: it evicts the pods that do not tolerate it (NoSchedule, no value). */
export const KARPENTER_DISRUPTED_TAINT = 'karpenter.sh/disrupted';

/**
 * Cluster Autoscaler's taint on a node it removes (NoSchedule, a timestamp value). Tolerating
 * it keeps a restarted driver pod schedulable and spares it from custom drains that follow the
 * taint, but does not stop Cluster Autoscaler itself evicting the pod.
 */
export const CLUSTER_AUTOSCALER_TAINT = 'ToBeDeletedByClusterAutoscaler';

/** Pod annotation that, set to "false", stops Cluster Autoscaler evicting a DaemonSet pod. */
export const CA_DS_EVICTION_ANNOTATION = 'cluster-autoscaler.kubernetes.io/enable-ds-eviction';
