import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OWNER_PID_ENV, RUN_DIR_ENV } from './shared';

/**
 * Jest's global setup: names this run's directory and owner for the shared control plane. Nothing
 * starts here; the first cluster test starts it (see sharedControlPlane), so runs that select no
 * cluster test cost nothing. Workers inherit these variables.
 */
export default function globalSetup(): void {
  process.env[RUN_DIR_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cluster-'));
  process.env[OWNER_PID_ENV] = String(process.pid);
}
