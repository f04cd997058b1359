// DRANET (kubernetes-sigs/dranet, chart dranet 0.1.0, image registry.k8s.io/networking/dranet:stable):
// the chart's kubelet plugin with the same image, args, env, host network, privileges,
// probes, mounts (with their propagation), requests and RBAC, plus the page's practices.
// test/driver/vendor-ports.test.ts compares it with the chart's rendering field by field and
// lists every intended difference.
import { App, Chart } from 'cdk8s';
import { DraDriver, DraGoodPractices, DraMonitoring, DriverProbe } from 'cdk8s-dra';
import { k8s } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'dranet');

const hostDir = (name: string, path: string, type?: string) => ({ name, hostPath: { path, type } });

const driver = new DraDriver(chart, 'dranet', {
  driverName: 'dra.net',
  name: 'dranet-sigs',
  namespace: 'dranet-sigs',
  image: 'registry.k8s.io/networking/dranet:stable',
  containerName: 'dranet',
  // NODE_NAME is one of the variables DraDriver sets, with the same value.
  args: ['/dranet', '--v=4', '--hostname-override=$(NODE_NAME)', '--kubelet-root-dir=/var/lib/kubelet'],
  // One HTTP server on :9177 serves /healthz and /metrics. The chart's startup (12 x 5 s) and readiness probes.
  probe: DriverProbe.httpGet({ port: 9177, startup: { failureThreshold: 12 }, readiness: {} }),
  metricsPort: 9177,
  serviceMonitorLabels: { release: 'kube-prometheus-stack' },
  // Moves network interfaces between namespaces: privileged (the default) on the host network.
  hostNetwork: true,
  minKubeletVersion: '1.34', // every node runs kubelet 1.34 or newer
  resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('50Mi') } },
  // The driver publishes each claim's network data (interfaces, addresses) in its status.
  writesDeviceStatus: true,
  pluginClusterRules: [
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    { apiGroups: ['resource.k8s.io'], resources: ['deviceclasses'], verbs: ['get'] },
  ],
  volumes: [
    hostDir('nri-plugin', '/var/run/nri'),
    hostDir('netns', '/var/run/netns'),
    hostDir('infiniband', '/dev/infiniband'),
    hostDir('bpf-programs', '/sys/fs/bpf'),
    hostDir('dranet-run', '/var/run/dranet', 'DirectoryOrCreate'),
  ],
  volumeMounts: [
    { name: 'nri-plugin', mountPath: '/var/run/nri' },
    { name: 'netns', mountPath: '/var/run/netns', mountPropagation: 'HostToContainer' },
    { name: 'infiniband', mountPath: '/dev/infiniband', mountPropagation: 'HostToContainer' },
    { name: 'bpf-programs', mountPath: '/sys/fs/bpf', mountPropagation: 'HostToContainer' },
    { name: 'dranet-run', mountPath: '/var/run/dranet' },
  ],
  tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }],
  podLabels: { 'app': 'dranet', 'tier': 'node', 'k8s-app': 'dranet' },
  // The chart ships no DeviceClass: claims name their own selectors.
  deviceClasses: [],
});

new DraMonitoring(chart, 'monitoring', {
  drivers: [driver],
  ruleLabels: { release: 'kube-prometheus-stack' },
  // Your copy of docs/runbooks.md, which ships with the package.
  runbookBaseUrl: 'https://git.example.com/platform/dra/blob/main/runbooks.md',
});

DraGoodPractices.of(app, { minKubeletVersion: '1.34' });

app.synth();
