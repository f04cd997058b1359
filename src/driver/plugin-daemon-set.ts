import { ApiObject } from 'cdk8s';
import { ImagePullPolicy } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DriverContainerOptions } from './container';
import { DriverModel, PLUGIN_COMPONENT, TOKEN_MOUNT_PATH, TOKEN_VOLUME } from './driver-model';
import { DriverProbe, DriverProbeTiming, DriverProbeType } from './probe';
import { DriverSecurityContext, securityContextJson } from './security-context';
import { fromCdk8sPlus } from '../common/cdk8s-plus-structs';
import { CA_DS_EVICTION_ANNOTATION, CLUSTER_AUTOSCALER_TAINT, KARPENTER_DISRUPTED_TAINT } from '../common/drain';
import { RULE_IDS, suppressAnnotation } from '../common/good-practice-ids';
import { PLUGIN_ENV } from '../common/kubelet-plugin-facts';
import { standardLabels } from '../common/labels';
import { kubeletPluginLinterAnnotations } from '../common/linter-annotations';
import { typedApiObject } from '../common/typed-objects';
import * as k8s from '../imports/k8s';

/** Taints that node autoscalers put on the nodes they are about to remove (src/common/drain.ts). */
const DRAIN_TAINTS = [CLUSTER_AUTOSCALER_TAINT, KARPENTER_DISRUPTED_TAINT];

/** The kubelet-plugin DaemonSet, from the model alone. */
export function pluginDaemonSet(
  scope: Construct, id: string, model: DriverModel, serviceAccountName: string, selector: { [key: string]: string },
): ApiObject {
  const pod = model.pod;
  const labels = standardLabels(model.name, PLUGIN_COMPONENT);
  const probe = pod.probe;
  const env: k8s.EnvVar[] = [
    { name: PLUGIN_ENV.nodeName, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    { name: PLUGIN_ENV.namespace, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ...(model.upgrade.isSeamless ? [{ name: PLUGIN_ENV.podUid, valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } }] : []),
    // The kubeletplugin helper serves gRPC health on HEALTHCHECK_PORT; other probes are the driver's own.
    ...(probe.type === DriverProbeType.GRPC ? [{ name: PLUGIN_ENV.healthcheckPort, value: String(probe.port) }] : []),
    ...(pod.metricsPort !== undefined ? [{ name: PLUGIN_ENV.metricsPort, value: String(pod.metricsPort) }] : []),
    { name: PLUGIN_ENV.registrarDirectory, value: pod.registrarDir },
    { name: PLUGIN_ENV.pluginsDirectory, value: pod.pluginsDir },
    { name: PLUGIN_ENV.cdiRoot, value: pod.cdiDir },
    ...pod.env,
  ];
  const ports: k8s.ContainerPort[] = [
    ...(probe.type !== DriverProbeType.NONE ? [{ name: pod.probePortName, containerPort: probe.port!, protocol: 'TCP' }] : []),
    // Served on the probe's port (the CPU driver, dranet): that one port is scraped.
    ...(pod.metricsPort !== undefined && !pod.metricsOnProbePort ? [{ name: 'metrics', containerPort: pod.metricsPort, protocol: 'TCP' }] : []),
  ];
  const tolerations: k8s.Toleration[] = [
    ...(pod.drainLate ? DRAIN_TAINTS.map(key => ({ key, operator: 'Exists', effect: 'NoSchedule' })) : []),
    ...pod.tolerations,
  ];
  const podAnnotations = {
    // Cluster Autoscaler evicts DaemonSet pods of the nodes it removes unless they opt out.
    ...(pod.drainLate ? { [CA_DS_EVICTION_ANNOTATION]: 'false' } : {}),
    ...pod.podAnnotations,
  };
  const withHostPorts = (list: k8s.ContainerPort[] | undefined) => pod.hostNetwork
    // The API server sets hostPort to containerPort under hostNetwork: writing it keeps GitOps from seeing drift.
    ? list?.map(port => ({ ...port, hostPort: port.hostPort ?? port.containerPort }))
    : list;

  // With the token per container, the pod mounts none and each container that keeps it mounts the kubelet's projected token.
  const tokenMount = (keeps: boolean | undefined) => pod.tokenPerContainer && keeps !== false
    ? [{ name: TOKEN_VOLUME, mountPath: TOKEN_MOUNT_PATH, readOnly: true }]
    : [];
  const withToken = (mounts: k8s.VolumeMount[] | undefined, keeps: boolean | undefined) => {
    const all = [...mounts ?? [], ...tokenMount(keeps)];
    return all.length > 0 ? all : undefined;
  };
  const extraContainer = (c: DriverContainerOptions, index: number, list: string) => ({
    ...container(c, securityContextJson(scope, `${list}[${index}].securityContext`, c.securityContext ?? NO_SECURITY_CONTEXT)),
    ports: withHostPorts(c.ports),
    volumeMounts: withToken(c.volumeMounts, c.serviceAccountToken),
  });
  const podSpec: k8s.PodSpec = {
    serviceAccountName,
    automountServiceAccountToken: pod.tokenPerContainer ? false : undefined,
    priorityClassName: pod.priorityClassName,
    terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds,
    hostNetwork: pod.hostNetwork || undefined,
    // Without it a hostNetwork pod resolves with the node's resolv.conf and cannot find cluster Services.
    dnsPolicy: pod.hostNetwork ? 'ClusterFirstWithHostNet' : undefined,
    hostPid: pod.hostPID || undefined,
    securityContext: pod.podSecurityContext,
    imagePullSecrets: pod.imagePullSecrets.length > 0 ? pod.imagePullSecrets.map(name => ({ name })) : undefined,
    nodeSelector: pod.nodeSelector,
    tolerations: tolerations.length > 0 ? tolerations : undefined,
    affinity: pod.affinity,
    initContainers: pod.initContainers.length > 0
      ? pod.initContainers.map((c, i) => extraContainer(c, i, 'initContainers'))
      : undefined,
    containers: [
      {
        name: pod.containerName,
        image: pod.image,
        imagePullPolicy: pod.imagePullPolicy,
        command: pod.command,
        args: pod.args,
        env,
        ports: ports.length > 0 ? withHostPorts(ports) : undefined,
        resources: pod.resources,
        securityContext: pod.securityContext,
        ...probes(probe, pod.probePortName),
        volumeMounts: withToken(pod.volumeMounts, true),
      },
      ...pod.containers.map((c, i) => extraContainer(c, i, 'containers')),
    ],
    // Sockets and CDI specs have the same path inside and outside the container.
    volumes: [...pod.volumes, ...pod.tokenPerContainer ? [TOKEN_VOLUME_SOURCE] : []],
  };
  const annotations = {
    ...probe.type === DriverProbeType.NONE ? { [suppressAnnotation(RULE_IDS.driverLivenessProbe)]: probe.reason! } : {},
    // Linters' findings that are the nature of a kubelet plugin, answered with each linter's annotation and the reason.
    ...kubeletPluginLinterAnnotations(podSpec),
  };

  return typedApiObject(scope, id, k8s.KubeDaemonSet, {
    metadata: {
      name: model.names.plugin,
      namespace: model.namespace,
      labels,
      annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    },
    spec: {
      selector: { matchLabels: selector },
      minReadySeconds: model.upgrade.minReadySeconds > 0 ? model.upgrade.minReadySeconds : undefined,
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: {
          maxSurge: fromCdk8sPlus.intOrString(model.upgrade.maxSurge),
          maxUnavailable: fromCdk8sPlus.intOrString(model.upgrade.maxUnavailable),
        },
      },
      template: {
        metadata: {
          labels: { ...labels, ...pod.podLabels },
          annotations: Object.keys(podAnnotations).length > 0 ? podAnnotations : undefined,
        },
        spec: podSpec,
      },
    },
  });
}

/** A container with no security context of its own: nothing written. */
const NO_SECURITY_CONTEXT = DriverSecurityContext.runtimeDefault();

/** What the kubelet's ServiceAccount admission mounts as `kube-api-access-<random>`: a bound token, the cluster CA, the namespace. */
const TOKEN_VOLUME_SOURCE: k8s.Volume = {
  name: TOKEN_VOLUME,
  projected: {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};


/**
 * Seconds a container that failed its probe gets between SIGTERM and SIGKILL. A plugin that
 * stops answering often ignores SIGTERM too (hung, or stopped): with the pod's grace period
 * (120 s by default, for orderly upgrades and drains) the kubelet took 150 s on the test node to
 * restart a stopped plugin, 36 to 47 s with this (three failed probes 10 s apart, then 10 s).
 */
const FAILED_PROBE_GRACE_SECONDS = 10;

/**
 * The liveness probe restarts a plugin that stops answering, so it re-registers with the
 * kubelet; the startup probe gives drivers 5 minutes to enumerate hardware before serving.
 */
export function probes(probe: DriverProbe | undefined, declaredPortName?: string): Pick<k8s.Container, 'livenessProbe' | 'startupProbe' | 'readinessProbe'> {
  if (probe === undefined || probe.type === DriverProbeType.NONE) {
    return {};
  }
  // gRPC probes take a port number only; an HTTP probe refers to the port by the name it was given.
  const httpPort = probe.portName !== undefined && declaredPortName !== undefined
    ? k8s.IntOrString.fromString(probe.portName)
    : k8s.IntOrString.fromNumber(probe.port!);
  const check: k8s.Probe = probe.type === DriverProbeType.GRPC
    ? { grpc: { port: probe.port!, service: probe.service } }
    : { httpGet: { path: probe.path, port: httpPort } };
  const timed = (timing: DriverProbeTiming | undefined, periodSeconds: number, failureThreshold: number): k8s.Probe => ({
    ...check,
    initialDelaySeconds: timing?.initialDelaySeconds,
    periodSeconds: timing?.periodSeconds ?? periodSeconds,
    timeoutSeconds: timing?.timeoutSeconds,
    failureThreshold: timing?.failureThreshold ?? failureThreshold,
  });
  return {
    livenessProbe: { ...timed(probe.liveness, 10, 3), terminationGracePeriodSeconds: FAILED_PROBE_GRACE_SECONDS },
    // A failed readiness check only takes the pod out of Services and rollouts: no restart, no grace period,
    // and the API server's timing unless given.
    readinessProbe: probe.readiness === undefined ? undefined : { ...check, ...probe.readiness },
    startupProbe: { ...timed(probe.startup, 5, 60), terminationGracePeriodSeconds: FAILED_PROBE_GRACE_SECONDS },
  };
}

function container(options: DriverContainerOptions, securityContext: k8s.SecurityContext | undefined): k8s.Container {
  return {
    name: options.name,
    image: options.image,
    imagePullPolicy: options.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
    command: options.command,
    args: options.args,
    env: options.env && fromCdk8sPlus.envVars(options.env),
    ports: options.ports && fromCdk8sPlus.containerPorts(options.ports),
    resources: options.resources && fromCdk8sPlus.resources(options.resources),
    securityContext,
    ...probes(options.probe),
    volumeMounts: options.volumeMounts && fromCdk8sPlus.volumeMounts(options.volumeMounts),
  };
}
