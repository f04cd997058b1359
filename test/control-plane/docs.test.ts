/**
 * What the control-plane docs tell users to run must match what the tools do: these tests pin
 * the instructions a reviewer found wrong (kubeadm upgrade --config, server-side apply of
 * Cluster API lists, kops scheduler fields, k3s/RKE2 drop-in merging, sizing warnings).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ControlPlaneTarget, DraTunedControlPlane } from '../../src';
import { testChart } from '../support/harness';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const DOCS = read('docs/control-plane.md');

/** The text of one `##`/`###` section of the docs, up to the next heading of any level. */
function section(heading: string): string {
  const start = DOCS.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const next = DOCS.slice(start + heading.length + 2).search(/\n#{2,3} /);
  return DOCS.slice(start, next < 0 ? undefined : start + heading.length + 2 + next);
}

describe('kubeadm: ClusterConfiguration is for init, not upgrade', () => {
  // kubeadm v1beta4: `upgrade apply --config` reads only an UpgradeConfiguration
  // (kubernetes/kubernetes#114062, kubernetes/kubeadm#2940).
  test.each(['docs/control-plane.md', 'README.md', 'API.md', 'src/control-plane/target.ts', 'examples/gpu-kubeadm/main.ts'])(
    '%s never sends a ClusterConfiguration to kubeadm upgrade',
    (file) => {
      const text = read(file).replace(/\s+/g, ' ');
      expect(text).not.toContain('init/upgrade');
      for (const match of text.matchAll(/kubeadm upgrade(?: apply)?`? --config/g)) {
        expect(text.slice(match.index! + match[0].length, match.index! + match[0].length + 50)).toContain('reads only an UpgradeConfiguration');
      }
      expect(text).not.toContain('(`kubeadm upgrade`,');
    },
  );

  test('the API docs and the example name init for a new cluster and the reconfiguration steps or patches for an existing one', () => {
    for (const file of ['API.md', 'examples/gpu-kubeadm/main.ts']) {
      const text = read(file).replace(/\/\/\s+/g, '').replace(/\s+/g, ' ');
      expect(text).toContain('`kubeadm init --config`');
      expect(text).toContain('Reconfiguring a kubeadm cluster');
      expect(text).toContain('KUBEADM_PATCHES');
    }
  });
});

describe('Cluster API: what server-side apply cannot merge', () => {
  const capi = section('### Cluster API: merging into an existing KubeadmControlPlane');

  test('the table no longer tells users to server-side apply onto any KubeadmControlPlane', () => {
    expect(DOCS).not.toContain('server-side apply onto your KubeadmControlPlane');
    expect(DOCS).toMatch(/\| `CLUSTER_API` \|[^\n]*#cluster-api-merging-into-an-existing-kubeadmcontrolplane/);
  });

  test('atomic lists are merged by hand, colliding args removed first, --force-conflicts never suggested', () => {
    expect(capi).toContain('`scheduler.extraVolumes` is `listType=atomic` in v1beta2');
    expect(capi).toContain('`files` has no list markers');
    expect(capi).toMatch(/Remove any existing\s+`kube-api-qps`, `kube-api-burst`/);
    expect(capi).toContain('`config` (scheduler)');
    expect(DOCS.match(/--force-conflicts/g)).toHaveLength(1);
    expect(capi).toContain('Never add `--force-conflicts`');
  });
});

test('kops: the scheduler fields need kubernetes/kops#17763, and the docs say how to confirm it', () => {
  const kops = section('### kops: which release reads `kubeScheduler.qps/burst`');
  expect(kops).toContain('kubernetes/kops#17763');
  expect(kops).toContain('"Using component config"');
  expect(kops).toContain('`clientConnection.qps/burst`');
  expect(DOCS).toMatch(/\| `KOPS` \|[^\n]*kubernetes\/kops#17763/);
  expect(read('API.md')).toContain('kubernetes/kops#17763');
});

test('k3s/RKE2: the docs name every key the drop-ins write, and say they append', () => {
  for (const target of [ControlPlaneTarget.K3S, ControlPlaneTarget.RKE2]) {
    const files = new DraTunedControlPlane(testChart(), 'tuning', { target, scale: { nodes: 100, podCreationQps: 10 } }).files();
    const dropIn = Object.keys(files).find(f => f.includes('/config.yaml.d/'))!;
    for (const key of Object.keys(parse(files[dropIn]))) {
      expect(key.endsWith('+')).toBe(true);
      expect(DOCS).toContain(`\`${key}\``);
    }
  }
  expect(DOCS).toContain('the `+` appends to what\n  `config.yaml` already sets');
  expect(DOCS).not.toContain('merge the\n  lists into one file');
});

test('sizing warnings are documented where users look for the limits', () => {
  const limits = section('### Limits');
  expect(limits).toContain('`warnings`');
  expect(limits).toContain('for (const warning of tuning.warnings)');
});
