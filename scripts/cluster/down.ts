// npm run cluster:down: stops the control plane that npm run cluster:up started.
import * as fs from 'fs';
import { SHELL_CLUSTER_DIR, shellClusterState } from './shell-cluster';
import { stopControlPlane } from '../../harness/cluster/control-plane';

async function main(): Promise<void> {
  const state = shellClusterState();
  if (!state) {
    process.stderr.write('cluster:down: no control plane is running\n');
    return;
  }
  await stopControlPlane(state);
  fs.rmSync(SHELL_CLUSTER_DIR, { recursive: true, force: true });
  process.stderr.write(`stopped the control plane at ${state.apiServer}\n`);
}

void main();
