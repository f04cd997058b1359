/**
 * The cost of the good-practice admission policies (DraGoodPracticesAdmission) on writes: the time
 * to create 1,000 kubelet-plugin DaemonSets by server-side apply on one fresh real control plane
 * (the test version, CDK8S_DRA_KUBERNETES_VERSION, default 1.37), without the policies and with
 * them (Warn+Audit; the objects are copies of NVIDIA's kubelet plugin, so every DaemonSet policy
 * recognises a plugin and evaluates it in full, and DRA004 and DRA013 warn), alternated and
 * repeated. --rules DRA003,DRA013 installs only those policies. Progress on stderr; the figures on
 * stdout and in bench-results/admission.json (admission-<rules>.json with --rules).
 *
 *   npm run bench:admission -- [--objects 1000] [--repeats 3] [--concurrency 8] [--rules ids]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { clientOf, startControlPlane, stopControlPlane } from '../harness/cluster/control-plane';
import { KubeClient } from '../harness/cluster/kube-client';
import { applyAll, deleteAll, namespaces, problems, readManifests, waitForAdmissionPolicies } from '../harness/cluster/objects';
import { binariesDir, binariesVersion } from '../harness/cluster/processes';
import { DraGoodPracticesAdmission } from '../src';

const ROOT = path.resolve(__dirname, '..');
const NVIDIA = path.resolve(ROOT, '..', 'shared', 'fixtures', 'nvidia-dra-driver-gpu', 'rendered-defaults.yaml');
const NAMESPACE = 'admission-bench';

function option(argv: string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} ${argv[i + 1]}: must be a positive integer`);
  return n;
}

/** `count` copies of NVIDIA's kubelet plugin DaemonSet, named bench-<i>. */
function daemonSets(count: number): any[] {
  const plugin = readManifests(NVIDIA).find(o => o.kind === 'DaemonSet');
  return Array.from({ length: count }, (_, i) => ({ ...plugin, metadata: { ...plugin.metadata, name: `bench-${i}`, namespace: NAMESPACE } }));
}

/** Seconds to apply every object, `concurrency` requests in flight; fails on any refusal. */
async function timedApply(client: KubeClient, objects: any[], concurrency: number): Promise<{ seconds: number; warnings: number }> {
  let next = 0;
  let warnings = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < objects.length) {
      const object = objects[next++];
      const res = await client.apply(object);
      if (res.status >= 300) throw new Error(`${object.metadata.name}: ${res.status} ${res.body?.message}`);
      warnings += res.warnings.length;
    }
  }));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, warnings };
}

async function removeAll(client: KubeClient): Promise<void> {
  await client.expectOk('DELETE', `/apis/apps/v1/namespaces/${NAMESPACE}/daemonsets`);
  await client.waitFor('the bench DaemonSets deleted', async () =>
    ((await client.get(`/apis/apps/v1/namespaces/${NAMESPACE}/daemonsets?limit=1`)).items.length === 0 ? true : undefined), 120_000, 500);
}

/**
 * Waits until the admission plugin has dropped the deleted policies (it loads them from an
 * informer, a moment after the change): a dry-run write of a breaking object draws no warning.
 */
async function waitForPoliciesUnloaded(client: KubeClient, object: any): Promise<void> {
  const objectPath = await client.objectPath(object);
  await client.waitFor('the admission plugin to drop the policies', async () => {
    const res = await client.request('PATCH', `${objectPath}?fieldManager=bench&force=true&dryRun=All`, object, 'application/apply-patch+yaml');
    if (res.status >= 300) throw new Error(`${object.metadata.name}: ${res.status} ${res.body?.message}`);
    return res.warnings.length === 0 ? true : undefined;
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const count = option(argv, '--objects', 1000);
  const repeats = option(argv, '--repeats', 3);
  const concurrency = option(argv, '--concurrency', 8);
  const rulesIndex = argv.indexOf('--rules');
  const rules = rulesIndex < 0 ? undefined : argv[rulesIndex + 1].split(',');
  const version = binariesVersion(binariesDir());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-bench-admission-'));
  // Admission needs only the API server: no controllers, so no DaemonSet controller work competes with the writes.
  const state = await startControlPlane(dir, { components: false });
  try {
    const admin = clientOf(state);
    const chart = new Chart(Testing.app(), 'admission');
    new DraGoodPracticesAdmission(chart, 'admission', { rules });
    const policies = Testing.synth(chart);
    const objects = daemonSets(count);
    const setUp = problems(await applyAll(admin, namespaces([NAMESPACE])));
    if (setUp.length > 0) throw new Error(setUp.join('\n'));
    // One warm-up round each way, not recorded: the first writes fill caches and discovery.
    await timedApply(admin, objects.slice(0, 50), concurrency);
    await removeAll(admin);
    const runs: Array<{ policies: boolean; seconds: number; warnings: number }> = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const withPolicies of [false, true]) {
        if (withPolicies) {
          const failed = problems(await applyAll(admin, policies));
          if (failed.length > 0) throw new Error(failed.join('\n'));
          await waitForAdmissionPolicies(admin);
        }
        const run = await timedApply(admin, objects, concurrency);
        runs.push({ policies: withPolicies, ...run });
        process.stderr.write(`repeat ${repeat + 1}/${repeats}, ${withPolicies ? 'with' : 'without'} the policies: ${run.seconds.toFixed(2)} s, ${run.warnings} warnings\n`);
        await removeAll(admin);
        if (withPolicies) {
          await deleteAll(admin, policies);
          await waitForPoliciesUnloaded(admin, objects[0]);
        }
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const without = median(runs.filter(r => !r.policies).map(r => r.seconds));
    const withPolicies = median(runs.filter(r => r.policies).map(r => r.seconds));
    const result = {
      kubernetes: version,
      rules: rules ?? DraGoodPracticesAdmission.RULE_IDS,
      objects: count,
      concurrency,
      repeats,
      cpus: os.cpus().length,
      medianSecondsWithout: Number(without.toFixed(3)),
      medianSecondsWith: Number(withPolicies.toFixed(3)),
      overheadPercent: Number((((withPolicies - without) / without) * 100).toFixed(1)),
      runs,
    };
    fs.mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
    const file = rules === undefined ? 'admission.json' : `admission-${rules.join('-')}.json`;
    fs.writeFileSync(path.join(ROOT, 'bench-results', file), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${count} DaemonSets by server-side apply on Kubernetes ${version}, ${concurrency} in flight, median of ${repeats}, `
      + `policies of ${result.rules.join(', ')}:\n`
      + `  without the policies: ${without.toFixed(2)} s (${((without / count) * 1000).toFixed(2)} ms per object)\n`
      + `  with the policies:    ${withPolicies.toFixed(2)} s (${((withPolicies / count) * 1000).toFixed(2)} ms per object), ${result.overheadPercent} % more\n`);
  } finally {
    await stopControlPlane(state);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
