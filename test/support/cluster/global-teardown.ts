import * as fs from 'fs';
import { RUN_DIR_ENV, stopShared } from './shared';

/** Jest's global teardown: stops the shared control plane if a test started it, and removes its files. */
export default async function globalTeardown(): Promise<void> {
  const runDir = process.env[RUN_DIR_ENV];
  if (runDir) {
    await stopShared(runDir, false);
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}
