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
];
const KUBE_SCORE_WAIVED = ['container-security-context-privileged', 'container-security-context-user-group-id'];
const CHECKOV_REMAINING = ['CKV2_K8S_6', 'CKV_K8S_11', 'CKV_K8S_13', 'CKV_K8S_15', 'CKV_K8S_22', 'CKV_K8S_29', 'CKV_K8S_31', 'CKV_K8S_43', 'CKV_K8S_9'];
const CHECKOV_WAIVED = ['CKV_K8S_16', 'CKV_K8S_20', 'CKV_K8S_23', 'CKV_K8S_28', 'CKV_K8S_37', 'CKV_K8S_38', 'CKV_K8S_40'];

describe('manifest linters on the examples', () => {
  let bin: string;
  beforeAll(() => {
    bin = linters();
  });

  test.each(EXAMPLES)('kube-score on examples/%s: only the documented findings, all on kubelet plugin DaemonSets', example => {
    const run = spawnSync(path.join(bin, 'kube-score'), ['score', ...manifestsOf(example), '--output-format', 'json'], { encoding: 'utf-8', maxBuffer: OUTPUT_LIMIT });
    const objects: any[] = JSON.parse(run.stdout) ?? [];
    const failing = objects.flatMap(o => o.checks.filter((c: any) => c.grade < 10 && !c.skipped)
      .map((c: any) => ({ kind: o.type_meta.kind, check: c.check.id })));
    expect([...new Set(failing.filter(f => f.kind !== 'DaemonSet').map(f => `${f.kind} ${f.check}`))]).toEqual([]);
    expect([...new Set(failing.map(f => f.check))].sort()).toEqual(KUBE_SCORE_REMAINING);
    const waived = objects.flatMap(o => o.checks.filter((c: any) => c.skipped && KUBE_SCORE_WAIVED.includes(c.check.id)).map((c: any) => c.check.id));
    expect([...new Set(waived)].sort()).toEqual(KUBE_SCORE_WAIVED);
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
    // CKV2 graph checks name the Pod they reason about; the others the DaemonSet.
    expect([...new Set(failed.map((f: any) => f.resource.split('.')[0]))].sort()).toEqual(['DaemonSet', 'Pod']);
    expect([...new Set(failed.map((f: any) => f.check_id))].sort()).toEqual(CHECKOV_REMAINING);
    expect([...new Set(skipped.map((s: any) => s.check_id))].sort()).toEqual(CHECKOV_WAIVED);
    for (const s of skipped) expect(s.check_result.suppress_comment).toMatch(/^a (network )?DRA kubelet plugin /);
  }, 180_000);
});
