// NVIDIA's DRA driver for GPUs (chart dra-driver-nvidia-gpu 0.5.0-dev, image v0.5.0-dev,
// rendered with gpuResourcesEnabledOverride=true): the chart's kubelet plugin (two plugin
// containers, gpu.nvidia.com and compute-domain.nvidia.com, and an init container) and its
// ComputeDomain controller, with the same images, commands, env, mounts, security and
// ports, plus the page's practices. test/driver/vendor-ports.test.ts compares it with the
// chart's rendering field by field and lists every intended difference.
import { App, Chart } from 'cdk8s';
import { DraDriver, DraGoodPractices, DraMonitoring, DriverProbe, DriverSecurityContext, DriverUpgrade } from 'cdk8s-dra';
import { PercentOrAbsolute } from 'cdk8s-plus-28';

/** The chart's startup probe of both plugins: 600 checks 1 s apart, each allowed 10 s. */
const CHART_STARTUP = { periodSeconds: 1, failureThreshold: 600, timeoutSeconds: 10 };

const app = new App();
const chart = new Chart(app, 'nvidia-gpu');

const IMAGE = 'registry.k8s.io/dra-driver-nvidia/dra-driver-nvidia-gpu:v0.5.0-dev';
const NAMESPACE = 'nvidia-dra-driver-gpu';
const KUBELET = '/var/lib/kubelet';

/** The chart's plugin entrypoint: optionally masks the driver params file, then starts `plugin`. */
function pluginScript(plugin: string): string[] {
  return [[
    '# Conditionally mask the params file to prevent this container from',
    '# recreating any missing GPU device nodes. This is necessary, for',
    '# example, when running under nvkind to limit the set GPUs governed',
    '# by the plugin even though it has cgroup access to all of them.',
    'if [ "${MASK_NVIDIA_DRIVER_PARAMS}" = "true" ]; then',
    '  cp /proc/driver/nvidia/params /root/gpu-params',
    "  sed -i 's/^ModifyDeviceFiles: 1$/ModifyDeviceFiles: 0/' /root/gpu-params",
    '  mount --bind /root/gpu-params /proc/driver/nvidia/params',
    'fi',
    `${plugin} -v $(LOG_VERBOSITY)`,
  ].join('\n')];
}

/** Settings both plugin containers share (the library sets the kubelet paths, CDI_ROOT, NODE_NAME, NAMESPACE for `gpus`). */
function pluginEnv(httpEndpoint: string) {
  return [
    // HTTP_ENDPOINT and METRICS_PATH configure the driver's own metrics server.
    { name: 'HTTP_ENDPOINT', value: httpEndpoint },
    { name: 'METRICS_PATH', value: '/metrics' },
    { name: 'LOG_VERBOSITY', value: '4' },
    { name: 'MASK_NVIDIA_DRIVER_PARAMS', value: '' },
    { name: 'NVIDIA_DRIVER_ROOT', value: '/' },
    // Use runc: explicit "void"; otherwise the container inherits "all".
    { name: 'NVIDIA_VISIBLE_DEVICES', value: 'void' },
    { name: 'NVIDIA_MIG_CONFIG_DEVICES', value: 'all' },
  ];
}

const nodeAffinityTerm = (key: string, values: string[]) => ({ matchExpressions: [{ key, operator: 'In', values }] });

const driver = new DraDriver(chart, 'nvidia-gpu', {
  driverName: 'gpu.nvidia.com',
  name: 'dra-driver-nvidia-gpu',
  namespace: NAMESPACE,
  image: IMAGE,
  containerName: 'gpus',
  command: ['bash', '-c'],
  args: pluginScript('gpu-kubelet-plugin'),
  // The chart's timing: 10 minutes (600 x 1 s) to start, then a check every 30 s.
  probe: DriverProbe.grpc({ port: 51516, startup: CHART_STARTUP, liveness: { periodSeconds: 30, timeoutSeconds: 10 } }),
  minKubeletVersion: '1.34', // every node runs kubelet 1.34 or newer
  // The chart's choice: one node whose new pod never gets ready cannot stall the rollout (issue #591).
  upgrade: DriverUpgrade.rollingUpdate({ maxUnavailable: PercentOrAbsolute.percent(100) }),
  env: [...pluginEnv(':8080'), { name: 'IMAGE_NAME', value: IMAGE }],
  volumes: [
    // The ComputeDomain plugin's own plugin directory, next to this driver's.
    { name: 'compute-domain-plugin-data', hostPath: { path: `${KUBELET}/plugins/compute-domain.nvidia.com`, type: 'DirectoryOrCreate' } },
    // With the driver installed on the host (NVIDIA_DRIVER_ROOT "/"), the driver root and its parent are "/".
    { name: 'driver-root-parent', hostPath: { path: '/', type: 'DirectoryOrCreate' } },
    { name: 'driver-root', hostPath: { path: '/', type: 'DirectoryOrCreate' } },
  ],
  volumeMounts: [{ name: 'driver-root', mountPath: '/driver-root', mountPropagation: 'HostToContainer' }],
  initContainers: [{
    name: 'init-container',
    image: IMAGE,
    command: ['bash', '/usr/bin/kubelet-plugin-prestart.sh'],
    env: [
      { name: 'NVIDIA_DRIVER_ROOT', value: '/' },
      { name: 'NVIDIA_VISIBLE_DEVICES', value: 'void' },
      { name: 'KUBELET_REGISTRAR_DIRECTORY_PATH', value: `${KUBELET}/plugins_registry` },
      { name: 'KUBELET_PLUGINS_DIRECTORY_PATH', value: `${KUBELET}/plugins` },
    ],
    volumeMounts: [{ name: 'driver-root-parent', mountPath: '/driver-root-parent', readOnly: true }],
    securityContext: DriverSecurityContext.privileged(),
  }],
  containers: [{
    // A second DRA driver in the same pod: compute-domain.nvidia.com.
    name: 'compute-domains',
    image: IMAGE,
    command: ['bash', '-c'],
    args: pluginScript('compute-domain-kubelet-plugin'),
    env: [
      ...pluginEnv(':8081'),
      { name: 'CDI_ROOT', value: '/var/run/cdi' },
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'KUBELET_REGISTRAR_DIRECTORY_PATH', value: `${KUBELET}/plugins_registry` },
      { name: 'KUBELET_PLUGINS_DIRECTORY_PATH', value: `${KUBELET}/plugins` },
      { name: 'HEALTHCHECK_PORT', value: '51515' },
    ],
    volumeMounts: [
      { name: 'plugins-registry', mountPath: `${KUBELET}/plugins_registry` },
      { name: 'compute-domain-plugin-data', mountPath: `${KUBELET}/plugins/compute-domain.nvidia.com` },
      { name: 'cdi', mountPath: '/var/run/cdi' },
      { name: 'driver-root', mountPath: '/driver-root', readOnly: true, mountPropagation: 'HostToContainer' },
    ],
    securityContext: DriverSecurityContext.privileged(),
    probe: DriverProbe.grpc({ port: 51515, startup: CHART_STARTUP, liveness: { periodSeconds: 10, timeoutSeconds: 10 } }),
  }],
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          nodeAffinityTerm('feature.node.kubernetes.io/pci-10de.present', ['true']),
          nodeAffinityTerm('feature.node.kubernetes.io/pci-0302_10de.present', ['true']),
          nodeAffinityTerm('feature.node.kubernetes.io/pci-0300_10de.present', ['true']),
          nodeAffinityTerm('feature.node.kubernetes.io/cpu-model.vendor_id', ['NVIDIA']),
          nodeAffinityTerm('nvidia.com/gpu.present', ['true']),
        ],
      },
    },
  },
  tolerations: [{ effect: 'NoSchedule', key: 'nvidia.com/gpu', operator: 'Exists' }],
  // The plugins' own needs: ComputeDomains, their cliques, and node labels for compute-domain membership.
  pluginClusterRules: [
    { apiGroups: ['resource.nvidia.com'], resources: ['computedomains'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'update'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  ],
  pluginNamespaceRules: [{ apiGroups: ['resource.nvidia.com'], resources: ['computedomaincliques'], verbs: ['get'] }],
  controller: {
    containerName: 'compute-domain',
    image: IMAGE,
    command: ['compute-domain-controller', '-v', '$(LOG_VERBOSITY)'],
    env: [
      { name: 'HTTP_ENDPOINT', value: ':8080' },
      { name: 'METRICS_PATH', value: '/metrics' },
      { name: 'PPROF_PATH', value: '' },
      { name: 'LOG_VERBOSITY', value: '4' },
      // The verbosity of the ComputeDomain daemons the controller launches.
      { name: 'LOG_VERBOSITY_CD_DAEMON', value: '4' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'IMAGE_NAME', value: IMAGE },
      { name: 'NVIDIA_VISIBLE_DEVICES', value: 'void' },
      { name: 'LEADER_ELECTION_ENABLED', value: 'false' },
      { name: 'LEADER_ELECTION_LEASE_LOCK_NAME', value: 'dra-driver-nvidia-gpu-controller' },
      { name: 'LEADER_ELECTION_LEASE_LOCK_NAMESPACE', value: NAMESPACE },
      { name: 'LEADER_ELECTION_LEASE_DURATION', value: '15s' },
      { name: 'LEADER_ELECTION_RENEW_DEADLINE', value: '10s' },
      { name: 'LEADER_ELECTION_RETRY_PERIOD', value: '2s' },
    ],
    priorityClassName: 'system-node-critical',
    clusterRules: [
      { apiGroups: ['resource.nvidia.com'], resources: ['computedomains'], verbs: ['get', 'list', 'watch', 'update'] },
      { apiGroups: ['resource.nvidia.com'], resources: ['computedomains/status'], verbs: ['update'] },
      { apiGroups: ['resource.k8s.io'], resources: ['resourceclaimtemplates'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'update'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    ],
    namespaceRules: [
      // The leader-election lease lives in the driver's namespace (LEADER_ELECTION_LEASE_LOCK_NAMESPACE).
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
      { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['resource.nvidia.com'], resources: ['computedomaincliques'], verbs: ['get', 'list', 'watch', 'update'] },
    ],
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          preference: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] },
          weight: 100,
        }],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          podAffinityTerm: {
            labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'dra-driver-nvidia-gpu', 'app.kubernetes.io/component': 'controller' } },
            topologyKey: 'kubernetes.io/hostname',
          },
          weight: 100,
        }],
      },
    },
    tolerations: [
      { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
      { effect: 'NoSchedule', key: 'node-role.kubernetes.io/master', operator: 'Exists' },
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
    ],
  },
  deviceClasses: [
    {
      name: 'compute-domain-daemon.nvidia.com',
      selectOwnDriver: false,
      selectors: ["device.driver == 'compute-domain.nvidia.com' && device.attributes['compute-domain.nvidia.com'].type == 'daemon'"],
    },
    {
      name: 'compute-domain-default-channel.nvidia.com',
      selectOwnDriver: false,
      selectors: ["device.driver == 'compute-domain.nvidia.com' && device.attributes['compute-domain.nvidia.com'].type == 'channel' && device.attributes['compute-domain.nvidia.com'].id == 0"],
    },
    // extendedResourceName nvidia.com/gpu is left out: 1.34 API servers drop it unless DRAExtendedResource is on.
    { name: 'gpu.nvidia.com', selectOwnDriver: false, selectors: ["device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'gpu'"] },
    { name: 'mig.nvidia.com', selectOwnDriver: false, selectors: ["device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'mig'"] },
    { name: 'vfio.gpu.nvidia.com', selectOwnDriver: false, selectors: ["device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'vfio'"] },
  ],
});
// The 100% rollout above is the chart's choice, kept on purpose: DRA013 reports it as suppressed, with why.
DraGoodPractices.suppress(driver.daemonSet, 'DRA013',
  'NVIDIA rolls the plugin out everywhere at once so that one node whose new pod never gets ready cannot stall the rollout (issue #591)');

// The ComputeDomain daemons the controller launches run as this account: objects the driver
// ships, as in the chart, since no DraDriver part runs them.
const daemonAccount = 'compute-domain-daemon-service-account';
const component = 'compute-domain-daemon';
driver.addObject({ apiVersion: 'v1', kind: 'ServiceAccount', name: daemonAccount, component });
driver.addObject({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  name: 'compute-domain-daemon-role',
  clusterScoped: true,
  component,
  fields: {
    rules: [
      { apiGroups: ['resource.nvidia.com'], resources: ['computedomains', 'computedomains/status'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
      { apiGroups: ['resource.nvidia.com'], resources: ['computedomaincliques'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'patch'] },
    ],
  },
});
driver.addObject({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  name: 'compute-domain-daemon-role-binding',
  clusterScoped: true,
  component,
  fields: {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'compute-domain-daemon-role' },
    subjects: [{ kind: 'ServiceAccount', name: daemonAccount, namespace: NAMESPACE }],
  },
});

new DraMonitoring(chart, 'monitoring', {
  drivers: [driver],
  ruleLabels: { release: 'kube-prometheus-stack' },
  // Your copy of docs/runbooks.md, which ships with the package.
  runbookBaseUrl: 'https://git.example.com/platform/dra/blob/main/runbooks.md',
});

DraGoodPractices.of(app, { minKubeletVersion: '1.34' });

app.synth();
