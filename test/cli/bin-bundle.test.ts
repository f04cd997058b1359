// The package's bin turns on Node's compile cache and loads the CLI bundled into one file
// (scripts/bundle-cli.sh, run by the compile task): Node reads and compiles that file alone at
// every start, not one file per module. Built here as the compile task builds it, into a scratch
// directory, and run as a user runs it. scripts/ci-node-versions.sh shows the installed package's
// bin filling the compile cache on Node 22 and 24.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from './support';
import { compileCli, CompiledCli } from '../../scripts/compiled-cli';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');
const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
let cli: CompiledCli;

beforeAll(() => {
  cli = compileCli();
}, 120_000);

afterAll(() => {
  if (cli) fs.rmSync(cli.dir, { recursive: true, force: true });
});

test('the bin loads the bundle alone, and the bundle no file of the package beside itself: only Node\'s modules and the package\'s dependencies', () => {
  const requiredBy = (file: string) => [...fs.readFileSync(file, 'utf-8').matchAll(/\brequire\(["']([^"']+)["']\)/g)].map(m => m[1]);
  expect(requiredBy(cli.main).filter(name => name.startsWith('.'))).toEqual([`./${path.basename(cli.bundle)}`]);
  // Executable: the wheel's console script runs it directly (scripts/ci-python.sh runs it).
  expect(() => fs.accessSync(cli.main, fs.constants.X_OK)).not.toThrow();
  const required = requiredBy(cli.bundle);
  expect(required.filter(name => name.startsWith('.') || name.startsWith('/'))).toEqual([]);
  expect(required.length).toBeGreaterThan(0);
});

test.each(['nvidia-dra-driver-gpu', 'dra-example-driver'])('the bin checks the %s rendering as the CLI does in-process', fixture => {
  const dir = path.join(FIXTURES, fixture);
  const bundled = spawnSync(process.execPath, [cli.main, 'check', '--format', 'json', dir], { env: { ...process.env, ...cli.env }, encoding: 'utf-8' });
  const inProcess = run('check', '--format', 'json', dir);
  expect(bundled.status).toBe(inProcess.code);
  expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(inProcess.stdout));
});

test('checking block YAML whose policies are in the directly evaluated CEL subset loads neither yaml, @bufbuild/cel, https nor cdk8s', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-bin-'));
  try {
    // Run first, it records what the process loaded: files in require's cache, Node's own modules in its load list.
    const preload = path.join(dir, 'loaded.js');
    const loaded = path.join(dir, 'loaded.json');
    fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(loaded)}, `
      + 'JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList })));\n');
    const result = spawnSync(process.execPath, ['--require', preload, cli.main, 'check', path.join(EXAMPLES, 'quickstart', 'dist')],
      { env: { ...process.env, ...cli.env }, encoding: 'utf-8' });
    expect(result.status).toBe(0);
    const { files, builtins } = JSON.parse(fs.readFileSync(loaded, 'utf-8')) as { files: string[]; builtins: string[] };
    expect(files.filter(f => /node_modules\/(yaml|@bufbuild|cdk8s)\//.test(f))).toEqual([]);
    expect(builtins).not.toContain('NativeModule https');
    // The recording works: the bin and the bundle are among the files.
    expect(files).toEqual(expect.arrayContaining([cli.main, cli.bundle]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
