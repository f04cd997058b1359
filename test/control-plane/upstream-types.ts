/**
 * Field-level shapes of the upstream config types DraTunedControlPlane renders, transcribed
 * from their Go sources (json tags and Go types). None has an official JSON schema in
 * kubernetes-models, so the tests check output against these: an unknown field, a map where
 * the type has a list, or a string where it has a number fails.
 *
 * Only the fields reachable from what the construct writes are listed; every listed field
 * exists upstream with that name and type.
 */
import { registerKindValidator } from '../support/harness';

/** `'string' | 'integer' | 'number' | 'boolean'`, a struct, a list `[T]`, or a map `{ '*': T }`. */
export type Shape = string | { [field: string]: Shape } | [Shape];

const TYPE_META = { apiVersion: 'string', kind: 'string' };
const OBJECT_META: Shape = {
  name: 'string',
  namespace: 'string',
  labels: { '*': 'string' },
  annotations: { '*': 'string' },
};

// kubernetes/kubernetes cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go
const KUBEADM_V1BETA4_ARG: Shape = { name: 'string', value: 'string' };
const KUBEADM_V1BETA4_HOST_PATH_MOUNT: Shape = {
  name: 'string', hostPath: 'string', mountPath: 'string', readOnly: 'boolean', pathType: 'string',
};
const KUBEADM_V1BETA4_ENV_VAR: Shape = { name: 'string', value: 'string' };
const KUBEADM_V1BETA4_CONTROL_PLANE_COMPONENT: Shape = {
  extraArgs: [KUBEADM_V1BETA4_ARG],
  extraVolumes: [KUBEADM_V1BETA4_HOST_PATH_MOUNT],
  extraEnvs: [KUBEADM_V1BETA4_ENV_VAR],
};
export const KUBEADM_V1BETA4_CLUSTER_CONFIGURATION: Shape = {
  ...TYPE_META,
  kubernetesVersion: 'string',
  controlPlaneEndpoint: 'string',
  controllerManager: KUBEADM_V1BETA4_CONTROL_PLANE_COMPONENT,
  scheduler: KUBEADM_V1BETA4_CONTROL_PLANE_COMPONENT,
  certificatesDir: 'string',
  imageRepository: 'string',
  clusterName: 'string',
};

// kubernetes/kubernetes staging/src/k8s.io/kube-scheduler/config/v1/types.go and
// staging/src/k8s.io/component-base/config/v1alpha1/types.go (ClientConnectionConfiguration)
export const KUBE_SCHEDULER_CONFIGURATION_V1: Shape = {
  ...TYPE_META,
  parallelism: 'integer',
  clientConnection: {
    kubeconfig: 'string',
    acceptContentTypes: 'string',
    contentType: 'string',
    qps: 'number',
    burst: 'integer',
  },
  enableProfiling: 'boolean',
  enableContentionProfiling: 'boolean',
  podInitialBackoffSeconds: 'integer',
  podMaxBackoffSeconds: 'integer',
};

// kubernetes-sigs/cluster-api api/bootstrap/kubeadm/v1beta2/kubeadm_types.go,
// kubeadmconfig_types.go (File) and api/controlplane/kubeadm/v1beta2 (KubeadmControlPlane)
const CAPI_FILE: Shape = {
  path: 'string', owner: 'string', permissions: 'string', encoding: 'string', append: 'boolean', content: 'string',
};
const CAPI_V1BETA2_COMPONENT: Shape = {
  extraArgs: [KUBEADM_V1BETA4_ARG],
  extraVolumes: [KUBEADM_V1BETA4_HOST_PATH_MOUNT],
  extraEnvs: [KUBEADM_V1BETA4_ENV_VAR],
};
export const CAPI_V1BETA2_KUBEADM_CONTROL_PLANE: Shape = {
  ...TYPE_META,
  metadata: OBJECT_META,
  spec: {
    replicas: 'integer',
    version: 'string',
    kubeadmConfigSpec: {
      clusterConfiguration: { controllerManager: CAPI_V1BETA2_COMPONENT, scheduler: CAPI_V1BETA2_COMPONENT },
      files: [CAPI_FILE],
    },
  },
};

// cluster-api bootstrap/kubeadm/api/v1beta1/kubeadm_types.go: extraArgs map[string]string
const CAPI_V1BETA1_COMPONENT: Shape = {
  extraArgs: { '*': 'string' },
  extraVolumes: [KUBEADM_V1BETA4_HOST_PATH_MOUNT],
  extraEnvs: [KUBEADM_V1BETA4_ENV_VAR],
};
export const CAPI_V1BETA1_KUBEADM_CONTROL_PLANE: Shape = {
  ...TYPE_META,
  metadata: OBJECT_META,
  spec: {
    replicas: 'integer',
    version: 'string',
    kubeadmConfigSpec: {
      clusterConfiguration: { controllerManager: CAPI_V1BETA1_COMPONENT, scheduler: CAPI_V1BETA1_COMPONENT },
      files: [CAPI_FILE],
    },
  },
};

// kubernetes/kops pkg/apis/kops/v1alpha2/componentconfig.go: KubeAPIQPS *resource.Quantity,
// KubeAPIBurst *int32; KubeSchedulerConfig Qps *resource.Quantity, Burst int32
export const KOPS_V1ALPHA2_CLUSTER: Shape = {
  ...TYPE_META,
  metadata: OBJECT_META,
  spec: {
    kubeControllerManager: { kubeAPIQPS: 'quantity', kubeAPIBurst: 'integer' },
    kubeScheduler: { qps: 'quantity', burst: 'integer' },
  },
};

// siderolabs/talos website/content/v1.12/reference/configuration/v1alpha1/config.md:
// cluster.controllerManager.extraArgs map[string]string; cluster.scheduler.config Unstructured
// (a KubeSchedulerConfiguration Talos merges over its own)
export const TALOS_CONTROL_PLANE_PATCH: Shape = {
  cluster: {
    controllerManager: { extraArgs: { '*': 'string' } },
    scheduler: { config: KUBE_SCHEDULER_CONFIGURATION_V1 },
  },
};

// RFC 6902 operation, as kubeadm's `+json` patches read it
export const JSON_PATCH: Shape = [{ op: 'string', path: 'string', value: 'any', from: 'string' }];

// k3s pkg/cli/cmds/server.go / rke2 pkg/cli/cmds: config file keys are the flag names; in a
// drop-in they carry k3s pkg/configfilearg's `+` suffix (append to earlier files' values)
// because a plain key replaces them
export const K3S_CONFIG: Shape = { 'kube-controller-manager-arg+': ['string'], 'kube-scheduler-arg+': ['string'] };
export const RKE2_CONFIG: Shape = { ...K3S_CONFIG, 'kube-scheduler-extra-mount+': ['string'] };

const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|[KMGTPE]i?|[munkMGTPE])?$/;

/** Every problem of `value` against `shape`, each with its JSON path. */
export function shapeErrors(value: unknown, shape: Shape, at = '$'): string[] {
  if (typeof shape === 'string') {
    switch (shape) {
      case 'any': return [];
      case 'string': return typeof value === 'string' ? [] : [`${at}: want string, got ${JSON.stringify(value)}`];
      case 'boolean': return typeof value === 'boolean' ? [] : [`${at}: want boolean, got ${JSON.stringify(value)}`];
      case 'number': return typeof value === 'number' && Number.isFinite(value) ? [] : [`${at}: want number, got ${JSON.stringify(value)}`];
      case 'integer': return Number.isInteger(value) ? [] : [`${at}: want integer, got ${JSON.stringify(value)}`];
      case 'quantity': return typeof value === 'string' && QUANTITY.test(value) ? [] : [`${at}: want a resource.Quantity string, got ${JSON.stringify(value)}`];
      default: throw new Error(`unknown shape ${shape}`);
    }
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) {
      return [`${at}: want a list, got ${JSON.stringify(value)}`];
    }
    return value.flatMap((item, i) => shapeErrors(item, shape[0], `${at}[${i}]`));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${at}: want an object, got ${JSON.stringify(value)}`];
  }
  if ('*' in shape) {
    return Object.entries(value).flatMap(([k, v]) => shapeErrors(v, shape['*'], `${at}.${k}`));
  }
  return Object.entries(value).flatMap(([k, v]) => (k in shape
    ? shapeErrors(v, shape[k], `${at}.${k}`)
    : [`${at}.${k}: unknown field`]));
}

/** Lets synthValid check the kinds DraTunedControlPlane puts into a chart. */
export function registerControlPlaneKinds(): void {
  registerKindValidator('kubeadm.k8s.io/v1beta4', 'ClusterConfiguration', o => shapeErrors(o, KUBEADM_V1BETA4_CLUSTER_CONFIGURATION));
  registerKindValidator('controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane', o => shapeErrors(o, CAPI_V1BETA2_KUBEADM_CONTROL_PLANE));
  registerKindValidator('controlplane.cluster.x-k8s.io/v1beta1', 'KubeadmControlPlane', o => shapeErrors(o, CAPI_V1BETA1_KUBEADM_CONTROL_PLANE));
  registerKindValidator('kops.k8s.io/v1alpha2', 'Cluster', o => shapeErrors(o, KOPS_V1ALPHA2_CLUSTER));
}

/** Which upstream type each node file DraTunedControlPlane writes is read as, by its path. */
export const NODE_FILE_SHAPES: Array<[RegExp, Shape]> = [
  [/kube-scheduler-config\.yaml$/, KUBE_SCHEDULER_CONFIGURATION_V1],
  [/rancher\/k3s\/config\.yaml\.d\/[^/]+\.yaml$/, K3S_CONFIG],
  [/rancher\/rke2\/config\.yaml\.d\/[^/]+\.yaml$/, RKE2_CONFIG],
  [/talos\/controlplane-patch\.yaml$/, TALOS_CONTROL_PLANE_PATCH],
  [/patches\/[^/]+\+json\.yaml$/, JSON_PATCH],
];

/** The upstream type a node file at `file` is read as, or undefined for a path no tool reads. */
export function nodeFileShape(file: string): Shape | undefined {
  return NODE_FILE_SHAPES.find(([pattern]) => pattern.test(file))?.[1];
}
