import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/**
 * The CLI as the package ships it, built into a scratch directory: `main` its bin (the launcher),
 * `bundle` the one file it loads, `dir` the directory to remove.
 */
export interface CompiledCli {
  readonly main: string;
  readonly bundle: string;
  readonly dir: string;
  /**
   * The compiled files sit outside the repository: they find its node_modules as an installed
   * package finds its own. Node's compile cache goes into the scratch directory too.
   */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The CLI compiled (tsc) and bundled (scripts/bundle-cli.sh) as the compile task builds
 * lib/cli/bin.js, the package's bin, and lib/cli/cdk8s-dra.js, the bundle, into a scratch
 * directory: for the check bench and the test of the bundle, without touching lib/.
 */
export function compileCli(): CompiledCli {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cli-lib-'));
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json'), '--outDir', dir,
    '--declaration', 'false', '--inlineSourceMap', 'false', '--inlineSources', 'false'], { stdio: 'inherit' });
  execFileSync('bash', [path.join(ROOT, 'scripts', 'bundle-cli.sh'), dir], { stdio: 'inherit' });
  return {
    main: path.join(dir, 'cli', 'bin.js'),
    bundle: path.join(dir, 'cli', 'cdk8s-dra.js'),
    dir,
    env: { NODE_PATH: path.join(ROOT, 'node_modules'), NODE_COMPILE_CACHE: path.join(dir, 'compile-cache') },
  };
}
