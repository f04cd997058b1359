// The smallest useful app: one DRA driver, its monitoring, and the good-practice checks,
// each construct used on its own. `npm run synth:examples` writes its YAML to dist/.
import { App, Chart } from 'cdk8s';
import { DraDriver, DraGoodPractices, DraMonitoring, DriverUpgrade } from 'cdk8s-dra';

const app = new App();
const chart = new Chart(app, 'quickstart');

// The reference DRA driver (kubernetes-sigs/dra-example-driver), installed with the page's driver practices.
const driver = new DraDriver(chart, 'example-driver', {
  driverName: 'gpu.example.com',
  image: 'registry.k8s.io/dra-example-driver/dra-example-driver:v0.4.0',
  command: ['dra-example-kubeletplugin'],
  namespace: 'dra-example-driver',
  upgrade: DriverUpgrade.seamless(),
  minKubeletVersion: '1.34', // every node runs kubelet 1.34 or newer
  metricsPort: 8080,
  // kube-prometheus-stack selects ServiceMonitors by its release label, as it does rules.
  serviceMonitorLabels: { release: 'kube-prometheus-stack' },
  env: [
    { name: 'DRIVER_NAME', value: 'gpu.example.com' },
    { name: 'DEVICE_PROFILE', value: 'gpu' },
    { name: 'NUM_DEVICES', value: '8' },
  ],
});

// Recording rules, alerts and a dashboard for the page's metrics, and for this driver. Each alert
// links to your copy of the runbooks the package ships (node_modules/cdk8s-dra/docs/runbooks.md).
new DraMonitoring(chart, 'monitoring', {
  drivers: [driver],
  ruleLabels: { release: 'kube-prometheus-stack' },
  runbookBaseUrl: 'https://git.example.com/platform/dra/blob/main/runbooks.md',
});

// Synthesis fails, before any file is written, if anything breaks the page's practices.
DraGoodPractices.of(app, { minKubeletVersion: '1.34' });

app.synth();
