// Stack traces point at files that exist in the installed package: the compiled files' inline
// source maps name ../src/*.ts, so the package ships src/ (what `npm pack` would publish).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');
const packed: string[] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf-8' }))[0]
  .files.map((f: { path: string }) => f.path);
const shipped = new Set(packed);

function filesUnder(dir: string, ext: string): string[] {
  return fs.readdirSync(path.join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter(e => e.isFile() && e.name.endsWith(ext))
    .map(e => path.relative(REPO, path.join(e.parentPath, e.name)));
}

test('every source file that a source map can name is in the package', () => {
  const missing = filesUnder('src', '.ts').filter(file => !shipped.has(file));
  expect(missing).toEqual([]);
});

test('the source maps of the compiled files that the package ships name files it ships', () => {
  const broken: string[] = [];
  for (const file of packed.filter(f => f.startsWith('lib/') && f.endsWith('.js'))) {
    const match = /sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(fs.readFileSync(path.join(REPO, file), 'utf-8'));
    if (!match) continue;
    for (const source of JSON.parse(Buffer.from(match[1], 'base64').toString('utf-8')).sources as string[]) {
      const named = path.normalize(path.join(path.dirname(file), source));
      if (!shipped.has(named)) broken.push(`${file} -> ${named}`);
    }
  }
  expect(broken).toEqual([]);
});
