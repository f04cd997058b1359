// docs/cluster-tests.md and docs/test-node.md list what each real-server test proves: every test
// file of test/real-cluster and test/real-node is in its page's table, and nothing else.
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');

test.each([
  ['docs/cluster-tests.md', 'test/real-cluster'],
  ['docs/test-node.md', 'test/real-node'],
])('%s has a row for exactly the test files of %s', (doc, dir) => {
  const docs = fs.readFileSync(path.join(REPO, doc), 'utf-8');
  const rows = [...docs.matchAll(/^\| `([\w.-]+\.test\.ts)` \|/gm)].map(m => m[1]).sort();
  const files = fs.readdirSync(path.join(REPO, dir)).filter(f => f.endsWith('.test.ts')).sort();
  expect(rows).toEqual(files);
});
