// docs/cluster-tests.md lists what each cluster test proves: every test file is in its table, and nothing else.
import * as fs from 'fs';
import * as path from 'path';

test('docs/cluster-tests.md has a row for exactly the cluster test files', () => {
  const docs = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'cluster-tests.md'), 'utf-8');
  const rows = [...docs.matchAll(/^\| `([\w.-]+\.test\.ts)` \|/gm)].map(m => m[1]).sort();
  const files = fs.readdirSync(__dirname).filter(f => f.endsWith('.test.ts') && f !== path.basename(__filename)).sort();
  expect(rows).toEqual(files);
});
