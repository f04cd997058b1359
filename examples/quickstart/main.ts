// A cdk8s app that uses cdk8s-dra. `npm run synth:examples` writes its YAML to dist/.
import { App, Chart } from 'cdk8s';
import { DraDriver, DriverUpgrade } from 'cdk8s-dra';
import { k8s } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'quickstart');
new k8s.KubeNamespace(chart, 'namespace', { metadata: { name: 'dra-system' } });

// The reference DRA driver, installed with the good-practices page's driver practices.
new DraDriver(chart, 'example-driver', {
  driverName: 'gpu.example.com',
  image: 'registry.k8s.io/dra-example-driver/dra-example-driver:v0.4.0',
  command: ['dra-example-kubeletplugin'],
  namespace: 'dra-example-driver',
  upgrade: DriverUpgrade.seamless(),
  minKubeletVersion: '1.34', // every node runs kubelet 1.34 or newer
  metricsPort: 8080,
  env: [
    { name: 'DRIVER_NAME', value: 'gpu.example.com' },
    { name: 'DEVICE_PROFILE', value: 'gpu' },
    { name: 'NUM_DEVICES', value: '8' },
  ],
});
app.synth();
