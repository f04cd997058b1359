// A cdk8s app that uses cdk8s-dra. `npm run synth:examples` writes its YAML to dist/.
import { App, Chart } from 'cdk8s';
import { PART_OF } from 'cdk8s-dra';

const app = new App();
new Chart(app, 'quickstart', { labels: { 'app.kubernetes.io/part-of': PART_OF } });
app.synth();
