// Every control-plane target, rendered by DraTunedControlPlane and read back by the checker's
// readers (src/control-plane/targets): the client QPS and burst each component runs with, as the
// checker reads them from the chart's documents and the node files, are the values rendered.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { ControlPlaneTarget, DraTunedControlPlane } from '../../src';
import { ObjectIndex } from '../../src/good-practices/engine/object-index';
import { clientSettings } from '../../src/good-practices/inputs/control-plane-args';
import { readManifests } from '../../src/good-practices/inputs/manifest-reader';

const CONTROLLER_MANAGER = { qps: 111, burst: 222 };
const SCHEDULER = { qps: 133, burst: 244 };

/** What the checker reads as each component's client, from the target's whole output written to a directory. */
function readBack(target: ControlPlaneTarget): { [component: string]: string[] } {
  const chart = new Chart(Testing.app(), 'control-plane');
  const tuned = new DraTunedControlPlane(chart, 'tuned', {
    target,
    controllerManager: CONTROLLER_MANAGER,
    scheduler: SCHEDULER,
    ...[ControlPlaneTarget.CLUSTER_API, ControlPlaneTarget.CLUSTER_API_V1BETA1].includes(target) ? { objectName: 'cluster', namespace: 'default' } : {},
    ...target === ControlPlaneTarget.KOPS ? { objectName: 'cluster' } : {},
    ...target === ControlPlaneTarget.FLAGS ? { schedulerKubeconfigPath: '/etc/kubernetes/scheduler.conf' } : {},
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-dra-${target}-`));
  tuned.writeFiles(dir);
  if (target === ControlPlaneTarget.KUBEADM_PATCHES) patchStaticPods(dir);
  fs.writeFileSync(path.join(dir, 'chart.yaml'), Testing.synth(chart).map(d => stringify(d)).join('---\n'));
  const read = readManifests([dir]);
  expect(read.errors).toEqual([]);
  const settings = clientSettings(new ObjectIndex(read.objects, {})).settings;
  fs.rmSync(dir, { recursive: true, force: true });
  const out: { [component: string]: string[] } = {};
  for (const s of settings) (out[s.component] ??= []).push(`${s.qps}/${s.burst}`);
  return out;
}

/**
 * What `kubeadm --patches` does on the node: each component's static Pod (kubeadm's command, cut
 * down) with the patch file applied; the patch files are then no longer input.
 */
function patchStaticPods(dir: string): void {
  const patches = path.join(dir, 'etc', 'kubernetes', 'patches');
  for (const component of ['kube-controller-manager', 'kube-scheduler']) {
    const file = path.join(patches, `${component}+json.yaml`);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: component, namespace: 'kube-system' },
      spec: { containers: [{ name: component, command: [component, `--kubeconfig=/etc/kubernetes/${component}.conf`], volumeMounts: [] }], volumes: [] },
    };
    const ops = (parse(fs.readFileSync(file, 'utf-8')) as any[]).map(op => JsonPatch.add(op.path, op.value));
    fs.mkdirSync(path.join(dir, 'etc', 'kubernetes', 'manifests'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'etc', 'kubernetes', 'manifests', `${component}.yaml`), stringify(JsonPatch.apply(pod, ...ops)));
    fs.rmSync(file);
  }
}

test.each(Object.values(ControlPlaneTarget).filter(t => t !== ControlPlaneTarget.FLAGS))(
  '%s: the checker reads back the client QPS and burst the target renders', target => {
    expect(readBack(target)).toEqual({ 'kube-controller-manager': ['111/222'], 'kube-scheduler': ['133/244'] });
  });

test('flags: the bare flag lists are no document the checker reads; the scheduler config file is', () => {
  expect(readBack(ControlPlaneTarget.FLAGS)).toEqual({ 'kube-scheduler': ['133/244'] });
});
