/**
 * The tool that deploys the control plane, which decides the shape the tuning is written in.
 *
 * Managed services (EKS, GKE, AKS) are not targets: they expose none of these settings.
 */
export enum ControlPlaneTarget {
  /**
   * kubeadm `ClusterConfiguration` (`kubeadm.k8s.io/v1beta4`, extraArgs as a list of
   * `{name, value}`) in the chart, for `kubeadm init --config` on a new cluster; the
   * scheduler's KubeSchedulerConfiguration is a node file (`files()`), mounted with
   * `extraVolumes`. `kubeadm upgrade apply --config` reads only an UpgradeConfiguration: for an
   * existing cluster follow kubeadm's "Reconfiguring a kubeadm cluster" (edit the
   * `kubeadm-config` ConfigMap and the static Pod manifests) or use KUBEADM_PATCHES.
   */
  KUBEADM = 'kubeadm',

  /**
   * kubeadm `--patches` files (JSON patches of the static Pod manifests) plus the scheduler
   * config file, all in `files()`: for clusters whose kubeadm config you do not regenerate.
   */
  KUBEADM_PATCHES = 'kubeadm-patches',

  /**
   * Cluster API `KubeadmControlPlane` (`controlplane.cluster.x-k8s.io/v1beta2`, list-form
   * extraArgs) fields in the chart, with the scheduler config shipped in `kubeadmConfigSpec.files`.
   */
  CLUSTER_API = 'cluster-api',

  /** As CLUSTER_API, for Cluster API before v1.11: `v1beta1` with map-form extraArgs. */
  CLUSTER_API_V1BETA1 = 'cluster-api-v1beta1',

  /** A k3s `config.yaml` drop-in plus the scheduler config file, in `files()`. */
  K3S = 'k3s',

  /** An RKE2 `config.yaml` drop-in (with the scheduler's extra mount) plus the scheduler config file, in `files()`. */
  RKE2 = 'rke2',

  /** A Talos machine-config patch for control-plane nodes, in `files()`. */
  TALOS = 'talos',

  /**
   * kops `Cluster` spec fields (`kops.k8s.io/v1alpha2`) in the chart. kops writes
   * `kubeScheduler.qps/burst` into the scheduler's config file only in releases that contain
   * kubernetes/kops#17763; older ones leave the scheduler at 50/100.
   */
  KOPS = 'kops',

  /** The bare controller-manager flags and the scheduler's `--config` file, in `files()`, for anything else. */
  FLAGS = 'flags',
}
