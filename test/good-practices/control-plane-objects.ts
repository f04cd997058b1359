/** Where clusters declare control-plane flags: kubeadm, Cluster API, static Pods. */

/** kubeadm v1beta4 / Cluster API v1beta2 extraArgs: a list of name/value pairs. */
type ExtraArgs = Array<{ name: string; value: string }>;

export function kubeadmV1beta4(controllerManagerArgs: ExtraArgs, schedulerArgs: ExtraArgs = []): any {
  return {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'ClusterConfiguration',
    kubernetesVersion: 'v1.34.1',
    controllerManager: { extraArgs: controllerManagerArgs },
    scheduler: { extraArgs: schedulerArgs },
  };
}

/** kubeadm v1beta3 extraArgs: a map. */
export function kubeadmV1beta3(controllerManagerArgs: { [key: string]: string }, schedulerArgs: { [key: string]: string } = {}): any {
  return {
    apiVersion: 'kubeadm.k8s.io/v1beta3',
    kind: 'ClusterConfiguration',
    controllerManager: { extraArgs: controllerManagerArgs },
    scheduler: { extraArgs: schedulerArgs },
  };
}

export function kubeadmControlPlane(controllerManagerArgs: ExtraArgs, schedulerArgs: ExtraArgs = []): any {
  return {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'KubeadmControlPlane',
    metadata: { name: 'prod-control-plane', namespace: 'clusters' },
    spec: {
      kubeadmConfigSpec: {
        clusterConfiguration: { controllerManager: { extraArgs: controllerManagerArgs }, scheduler: { extraArgs: schedulerArgs } },
      },
    },
  };
}

export function staticPod(component: string, flags: string[]): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: component, namespace: 'kube-system' },
    spec: {
      hostNetwork: true,
      containers: [{ name: component, image: `registry.k8s.io/${component}:v1.34.1`, command: [component, ...flags] }],
    },
  };
}

export function schedulerConfiguration(qps?: number, burst?: number): any {
  return {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    ...(qps !== undefined ? { clientConnection: { qps, burst } } : {}),
  };
}
