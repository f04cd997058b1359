import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Type-checks TypeScript programs (file name and text) against the library, as a user's app
 * would be, and returns tsc's output ('' when they compile). They are written under
 * node_modules/ so that imports resolve from the project and git never sees them.
 */
export function typeCheckPrograms(prefix: string, programs: Array<readonly [name: string, text: string]>): string {
  const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules', `.${prefix}-`));
  try {
    const files = programs.map(([name, text]) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    });
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      extends: path.join(ROOT, 'scripts', 'tsconfig.json'),
      compilerOptions: { noUnusedLocals: false, rootDir: ROOT },
      files,
      include: [],
      exclude: [],
    }));
    const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', dir], { encoding: 'utf-8' });
    return `${result.stdout}${result.stderr}${result.status === 0 ? '' : `(exit ${result.status})`}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
