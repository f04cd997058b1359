// npm run cluster:up: starts the test control plane for a person at the shell (the same one the
// cluster tests start) and prints its KUBECONFIG. npm run cluster:down stops it.
// `npm run cluster:up -- --version 1.36` starts that Kubernetes version's.
import * as fs from 'fs';
import { SHELL_CLUSTER_DIR, shellClusterState } from './shell-cluster';
import { startControlPlane } from '../../harness/cluster/control-plane';
import { selectTestVersionFromArgs } from '../../harness/cluster/kubernetes-versions';
import { isAlive } from '../../harness/cluster/processes';

async function main(): Promise<void> {
  selectTestVersionFromArgs(process.argv.slice(2));
  const running = shellClusterState();
  if (running && running.processes.every(p => isAlive(p.pid))) {
    process.stderr.write(`already running (${running.apiServer})\n`);
    process.stdout.write(`export KUBECONFIG=${running.kubeconfig}\n`);
    return;
  }
  fs.rmSync(SHELL_CLUSTER_DIR, { recursive: true, force: true });
  const state = await startControlPlane(SHELL_CLUSTER_DIR);
  process.stderr.write(`Kubernetes ${state.version} control plane up at ${state.apiServer} in ${state.startSeconds.toFixed(1)} s; logs in ${SHELL_CLUSTER_DIR}\n`);
  process.stdout.write(`export KUBECONFIG=${state.kubeconfig}\n`);
}

main().catch(error => {
  process.stderr.write(`cluster:up: ${(error as Error).message}\n`);
  process.exit(1);
});
