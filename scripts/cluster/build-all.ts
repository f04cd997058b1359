// npm run cluster:build: builds every Kubernetes version the tests run on (scripts/cluster/build.sh
// per version, the kubelet and kubectl too where the node tests run), one after another: on 2 cores one Go build
// already keeps both busy. `npm run cluster:build -- --version 1.37` builds one, `--main` the one the
// main jest run uses; `--check` builds nothing and exits 1 when any version is missing.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { DEFAULT_TEST_VERSION, KUBERNETES_TEST_VERSIONS, NODE_BINARIES } from '../../harness/cluster/kubernetes-versions';

const BUILD_SCRIPT = path.resolve(__dirname, 'build.sh');

function main(): void {
  const args = process.argv.slice(2);
  const only = args.includes('--main') ? DEFAULT_TEST_VERSION : args.includes('--version') ? args[args.indexOf('--version') + 1] : undefined;
  const versions = KUBERNETES_TEST_VERSIONS.filter(v => only === undefined || v.version === only);
  if (versions.length === 0) {
    throw new Error(`no Kubernetes test version ${only}; the tests run on ${KUBERNETES_TEST_VERSIONS.map(v => v.version).join(', ')}`);
  }
  if (args.includes('--check')) {
    for (const v of versions) {
      execFileSync('bash', [BUILD_SCRIPT, '--version', v.version, '--where', ...(v.kubelet ? NODE_BINARIES : [])], { stdio: 'ignore' });
    }
    return;
  }
  for (const v of versions) {
    const started = Date.now();
    const dir = execFileSync('bash', [BUILD_SCRIPT, '--version', v.version, ...(v.kubelet ? NODE_BINARIES : [])], {
      encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    process.stderr.write(`cluster:build: Kubernetes ${v.version} in ${dir} (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`cluster:build: ${(error as Error).message}\n`);
  process.exit(1);
}
