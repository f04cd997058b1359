// npm run node:up: starts the test node (a control plane, containerd and the kubelet, as the node
// tests do) for a person at the shell and prints its KUBECONFIG. npm run node:down stops it.
// `npm run node:up -- --version 1.34` runs that Kubernetes version's control plane and kubelet.
import { selectTestVersionFromArgs } from '../../harness/cluster/kubernetes-versions';
import { startNode } from '../../harness/node/node';

async function main(): Promise<void> {
  selectTestVersionFromArgs(process.argv.slice(2));
  const state = await startNode();
  const parts = Object.entries(state.timings).map(([part, seconds]) => `${part} ${seconds.toFixed(1)} s`).join(', ');
  process.stderr.write(`node ${state.nodeName} (${state.nodeIp}) Ready in ${state.startSeconds.toFixed(1)} s (${parts}); kubelet root ${state.kubeletRootDir}, logs in ${state.dir}/logs\n`);
  process.stdout.write(`export KUBECONFIG=${state.controlPlane.kubeconfig}\n`);
}

main().catch(error => {
  process.stderr.write(`node:up: ${(error as Error).message}\n`);
  process.exit(1);
});
