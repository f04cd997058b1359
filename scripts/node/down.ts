// npm run node:down: stops the test node and its control plane and puts the machine back (mounts,
// bridge, NAT rule, cgroups, sysctls), whether it was started by node:up or left by a killed run.
import { readNodeState, stopNode } from '../../harness/node/node';

async function main(): Promise<void> {
  const running = readNodeState() !== undefined;
  await stopNode();
  process.stderr.write(running ? 'stopped the test node\n' : 'no test node was running; swept its leftovers\n');
}

main().catch(error => {
  process.stderr.write(`node:down: ${(error as Error).message}\n`);
  process.exit(1);
});
