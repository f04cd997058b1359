/**
 * The manifest linters admins already run, on every example's dist/: Checkov (PyPI) and
 * kube-score (built from tools/linters/go.mod), installed by `npm run linters:install`
 * outside the repo. A missing linter fails the test with the command that installs it.
 * Findings inherent to a kubelet plugin are answered by DraDriver with each linter's
 * annotation and a reason (src/common/linter-annotations.ts); the others are pinned here
 * and explained in docs/linters.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');
/** Enough for Checkov's JSON of every object (its passed checks included). */
const OUTPUT_LIMIT = 64 * 1024 * 1024;
const EXAMPLES = fs.readdirSync(path.join(REPO, 'examples')).filter(e => fs.existsSync(path.join(REPO, 'examples', e, 'dist'))).sort();

function manifestsOf(example: string): string[] {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap(e => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.k8s.yaml') ? [path.join(dir, e.name)] : []));
  return walk(path.join(REPO, 'examples', example, 'dist')).sort();
}

/** The directory of the linters' binaries; throws with the install command when they are not installed. */
function linters(): string {
  const check = spawnSync(path.join(REPO, 'scripts', 'linters', 'install.sh'), ['--check'], { encoding: 'utf-8' });
  if (check.status !== 0) {
    throw new Error('kube-score and Checkov are not installed for this checkout: run `npm run linters:install` (scripts/linters/install.sh)');
  }
  return check.stdout.trim();
}

/** The checks that remain on the kubelet plugin DaemonSets (docs/linters.md says why), and those answered by annotations. */
const KUBE_SCORE_REMAINING = [
  'container-ephemeral-storage-request-and-limit',
  'container-image-pull-policy',
  'container-resources',
  'container-security-context-readonlyrootfilesystem',
  'pod-networkpolicy',
  'pod-probes',
  // The CPU driver's and dranet's readiness probe checks /healthz as their liveness probe does, as their charts have it.
  'pod-probes-identical',
];
const KUBE_SCORE_WAIVED = ['container-security-context-privileged', 'container-security-context-user-group-id'];
/** The driver controller's Deployment (NVIDIA's port): the vendor's own settings, kept (docs/linters.md). */
const KUBE_SCORE_CONTROLLER_REMAINING = [
  'container-ephemeral-storage-request-and-limit',
  'container-image-pull-policy',
  'container-resources',
  'container-security-context-readonlyrootfilesystem',
  'container-security-context-user-group-id',
  'pod-networkpolicy',
];
/** Checkov's remaining findings by the kind it names (docs/linters.md): CKV2 graph checks name the Pod they reason about. */
const CHECKOV_REMAINING: { [kind: string]: string[] } = {
  // Plus CPU/memory requests and hostPort for the vendor ports that keep the chart's settings, and the NIC plugin's host ports.
  // The CPU driver's port keeps its chart's missing security context: the runtime's defaults (CKV_K8S_20, 28, 30, 37).
  DaemonSet: [
    'CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13', 'CKV_K8S_15', 'CKV_K8S_20', 'CKV_K8S_22', 'CKV_K8S_26', 'CKV_K8S_28', 'CKV_K8S_29',
    'CKV_K8S_30', 'CKV_K8S_31', 'CKV_K8S_37', 'CKV_K8S_43', 'CKV_K8S_9',
  ],
  // NVIDIA's controller as the chart runs it: no probes, a root user id, an API token.
  Deployment: ['CKV_K8S_11', 'CKV_K8S_13', 'CKV_K8S_15', 'CKV_K8S_22', 'CKV_K8S_23', 'CKV_K8S_29', 'CKV_K8S_38', 'CKV_K8S_40', 'CKV_K8S_43', 'CKV_K8S_8', 'CKV_K8S_9'],
  Pod: ['CKV2_K8S_6'],
};
const CHECKOV_WAIVED = ['CKV_K8S_16', 'CKV_K8S_19', 'CKV_K8S_20', 'CKV_K8S_23', 'CKV_K8S_28', 'CKV_K8S_37', 'CKV_K8S_38', 'CKV_K8S_40'];

describe('manifest linters on the examples', () => {
  let bin: string;
  beforeAll(() => {
    bin = linters();
  });

  const kubeScore = (example: string) => {
    const args = ['score', ...manifestsOf(example), '--output-format', 'json'];
    const run = spawnSync(path.join(bin, 'kube-score'), args, { encoding: 'utf-8', maxBuffer: OUTPUT_LIMIT });
    const objects: any[] = JSON.parse(run.stdout) ?? [];
    const failing = objects.flatMap(o => o.checks.filter((c: any) => c.grade < 10 && !c.skipped)
      .map((c: any) => ({ kind: o.type_meta.kind as string, check: c.check.id as string })));
    const waived = objects.flatMap(o => o.checks.filter((c: any) => c.skipped && KUBE_SCORE_WAIVED.includes(c.check.id))
      .map((c: any) => c.check.id as string));
    return { failing, waived };
  };

  test.each(EXAMPLES)('kube-score on examples/%s: only documented findings, on kubelet plugin DaemonSets and driver controllers', example => {
    const { failing } = kubeScore(example);
    expect(failing.filter(f => !['DaemonSet', 'Deployment'].includes(f.kind))).toEqual([]);
    expect(failing.filter(f => f.kind === 'DaemonSet' && !KUBE_SCORE_REMAINING.includes(f.check))).toEqual([]);
    expect(failing.filter(f => f.kind === 'Deployment' && !KUBE_SCORE_CONTROLLER_REMAINING.includes(f.check))).toEqual([]);
  });

  test('kube-score across the examples: every documented finding still occurs, and every waiver is used', () => {
    const all = EXAMPLES.map(kubeScore);
    expect([...new Set(all.flatMap(r => r.failing.filter(f => f.kind === 'DaemonSet').map(f => f.check)))].sort()).toEqual(KUBE_SCORE_REMAINING);
    expect([...new Set(all.flatMap(r => r.waived))].sort()).toEqual(KUBE_SCORE_WAIVED);
  });

  test('Checkov on every example: only the documented findings; the inherent ones skipped with our reason', () => {
    const files = EXAMPLES.flatMap(manifestsOf);
    const run = spawnSync(path.join(bin, 'checkov'), ['--framework', 'kubernetes', '--output', 'json', '--compact', '--skip-download', '-f', ...files], {
      encoding: 'utf-8',
      maxBuffer: OUTPUT_LIMIT,
    });
    const reports: any[] = [JSON.parse(run.stdout)].flat();
    const failed = reports.flatMap(r => r.results.failed_checks);
    const skipped = reports.flatMap(r => r.results.skipped_checks);
    const byKind: { [kind: string]: string[] } = {};
    for (const f of failed) {
      const kind = f.resource.split('.')[0];
      byKind[kind] = [...new Set([...byKind[kind] ?? [], f.check_id as string])].sort();
    }
    expect(byKind).toEqual(CHECKOV_REMAINING);
    expect([...new Set(skipped.map((s: any) => s.check_id))].sort()).toEqual(CHECKOV_WAIVED);
    for (const s of skipped) expect(s.check_result.suppress_comment).toMatch(/^(a DRA kubelet plugin |the driver's own deployment runs this DRA kubelet plugin )/);
  }, 180_000);
});
