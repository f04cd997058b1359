// The CPU DRA driver (kubernetes-sigs/dra-driver-cpu, chart dra-driver-cpu 0.2.0, image v0.2.0):
// the chart's kubelet plugin with the same image, args, host network, probes, mounts, requests
// and RBAC, plus the page's practices. test/driver/vendor-ports.test.ts compares it with the
// chart's rendering field by field and lists every intended difference.
import { App, Chart } from 'cdk8s';
import { DraDriver, DraGoodPractices, DraMonitoring, DriverProbe, DriverSecurityContext } from 'cdk8s-dra';
import { k8s } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'dra-driver-cpu');

const driver = new DraDriver(chart, 'dra-driver-cpu', {
  driverName: 'dra.cpu',
  name: 'dra-driver-cpu',
  namespace: 'dra-driver-cpu',
  image: 'registry.k8s.io/dra-driver-cpu/dra-driver-cpu:v0.2.0',
  containerName: 'dracpu',
  args: ['/dracpu', '--v=4', '--bind-address=:8080', '--expose-pcie-roots=false'],
  // One HTTP server on :8080 serves /healthz and /metrics.
  probe: DriverProbe.httpGet({
    port: 8080,
    portName: 'healthz',
    liveness: { initialDelaySeconds: 10 },
    readiness: { initialDelaySeconds: 5 },
  }),
  metricsPort: 8080,
  serviceMonitorLabels: { release: 'kube-prometheus-stack' },
  // The chart sets no security context: the runtime's defaults.
  securityContext: DriverSecurityContext.runtimeDefault(),
  // The driver pins CPUs through NRI on the node's network, as the chart runs it.
  hostNetwork: true,
  minKubeletVersion: '1.34', // every node runs kubelet 1.34 or newer
  resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('50Mi') } },
  // The driver publishes each claim's CPU assignment in its status.
  writesDeviceStatus: true,
  pluginClusterRules: [
    { apiGroups: ['resource.k8s.io'], resources: ['deviceclasses'], verbs: ['get'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  ],
  volumes: [{ name: 'nri-plugin', hostPath: { path: '/var/run/nri' } }],
  volumeMounts: [{ name: 'nri-plugin', mountPath: '/var/run/nri' }],
  tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }],
  podLabels: { 'tier': 'node', 'k8s-app': 'dra-driver-cpu' },
});

new DraMonitoring(chart, 'monitoring', {
  drivers: [driver],
  ruleLabels: { release: 'kube-prometheus-stack' },
  // Your copy of docs/runbooks.md, which ships with the package.
  runbookBaseUrl: 'https://git.example.com/platform/dra/blob/main/runbooks.md',
});

DraGoodPractices.of(app, { minKubeletVersion: '1.34' });

app.synth();
