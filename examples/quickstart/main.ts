// A cdk8s app that uses cdk8s-dra. `npm run synth:examples` writes its YAML to dist/.
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'quickstart');
new k8s.KubeNamespace(chart, 'namespace', { metadata: { name: 'dra-system' } });
app.synth();
