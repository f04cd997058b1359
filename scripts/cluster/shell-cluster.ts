import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ControlPlaneState } from '../../harness/cluster/control-plane';

/** Where `npm run cluster:up` keeps its control plane: one per machine user. */
export const SHELL_CLUSTER_DIR = path.join(process.env.CDK8S_DRA_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'cdk8s-dra'), 'cluster-up');

export function shellClusterState(): ControlPlaneState | undefined {
  const file = path.join(SHELL_CLUSTER_DIR, 'state.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : undefined;
}
