/**
 * The main job: synthesizes every example app under examples/<name>/main.ts to YAML in
 * examples/<name>/dist/, the way `cdk8s synth` would (CDK8S_OUTDIR), in one process.
 * Usage: synth-examples [name...]
 */
import * as fs from 'fs';
import * as path from 'path';
import './local-package';

const examplesDir = path.resolve(__dirname, '..', 'examples');
const wanted = process.argv.slice(2);
const names = fs.readdirSync(examplesDir)
  .filter(name => fs.existsSync(path.join(examplesDir, name, 'main.ts')))
  .filter(name => wanted.length === 0 || wanted.includes(name))
  .sort();

for (const name of names) {
  const dir = path.join(examplesDir, name);
  const outdir = path.join(dir, 'dist');
  fs.rmSync(outdir, { recursive: true, force: true });
  process.env.CDK8S_OUTDIR = outdir;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(dir, 'main.ts'));
  const files = (fs.readdirSync(outdir, { recursive: true }) as string[])
    .filter(file => fs.statSync(path.join(outdir, file)).isFile())
    .sort();
  console.log(`examples/${name}/dist: ${files.join(', ')}`);
}
