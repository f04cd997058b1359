// Intel's GPU DRA driver (intel/intel-resource-drivers-for-kubernetes, chart
// intel-gpu-resource-driver 0.11.1, image v0.11.0): the chart's kubelet plugin with the same
// image, command, args, env, mounts, security and ports, plus the page's practices.
// test/driver/vendor-ports.test.ts compares it with the chart's rendering field by field and
// lists every intended difference.
import { App, Chart } from 'cdk8s';
import { DraDriver, DraGoodPractices, DraMonitoring, DriverProbe, PluginSecurityMode } from 'cdk8s-dra';

const app = new App();
const chart = new Chart(app, 'intel-gpu');

const driver = new DraDriver(chart, 'intel-gpu', {
  driverName: 'gpu.intel.com',
  name: 'intel-gpu-resource-driver',
  namespace: 'intel-gpu-resource-driver',
  image: 'ghcr.io/intel/intel-resource-drivers-for-kubernetes/intel-gpu-resource-driver:v0.11.0',
  containerName: 'kubelet-plugin',
  command: ['/kubelet-gpu-plugin'],
  // -m: health monitoring through xpumd's socket (the chart's default).
  args: ['--healthcheck-port=51516', '-m'],
  // The chart's timing: 10 minutes (60 x 10 s) to start, then a check every 30 s; 10 s per check.
  probe: DriverProbe.grpc({
    port: 51516,
    startup: { periodSeconds: 10, failureThreshold: 60, timeoutSeconds: 10 },
    liveness: { periodSeconds: 30, timeoutSeconds: 10 },
  }),
  // The chart runs the plugin as root without privileges or capabilities.
  securityMode: PluginSecurityMode.UNPRIVILEGED,
  minKubeletVersion: '1.34', // every node runs kubelet 1.34 or newer
  // The driver writes its CDI specs to /etc/cdi; /var/run/cdi is mounted too, as in the chart.
  cdiDir: '/etc/cdi',
  env: [
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'SYSFS_ROOT', value: '/sysfs' },
  ],
  volumes: [
    { name: 'varruncdi', hostPath: { path: '/var/run/cdi' } },
    { name: 'sysfs', hostPath: { path: '/sys' } },
    { name: 'xpumd-socket', hostPath: { path: '/run/xpumd' } },
  ],
  volumeMounts: [
    { name: 'varruncdi', mountPath: '/var/run/cdi' },
    { name: 'sysfs', mountPath: '/sysfs' },
    { name: 'xpumd-socket', mountPath: '/run/xpumd' },
  ],
  tolerations: [
    { effect: 'NoSchedule', key: 'node-role.kubernetes.io/master', operator: 'Exists' },
    { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
    { effect: 'NoSchedule', key: 'node.kubernetes.io/gpu', operator: 'Exists' },
  ],
  deviceClasses: [
    { name: 'gpu.intel.com' },
    // With manageBinding off (the chart's default), only GPUs bound to vfio-pci are passed through to VMs.
    { name: 'gpu-vfio.intel.com' },
  ],
});

new DraMonitoring(chart, 'monitoring', {
  drivers: [driver],
  ruleLabels: { release: 'kube-prometheus-stack' },
  // Your copy of docs/runbooks.md, which ships with the package.
  runbookBaseUrl: 'https://git.example.com/platform/dra/blob/main/runbooks.md',
});

DraGoodPractices.of(app, { minKubeletVersion: '1.34' });

app.synth();
