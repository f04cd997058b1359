// A passing test prints nothing (the library's warnings included); a failing one shows what it
// printed: jest's environment holds console output per test (test/support/quiet-environment.js).
import { spawnSync } from 'child_process';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');

test('console output is shown for the failing test only', () => {
  const run = spawnSync('npx', [
    'jest', '--ci', '--coverage=false', '--reporters=default', '--testMatch', '**/test/support/quiet-fixture/output.fixture.ts',
  ], { cwd: REPO, encoding: 'utf-8', timeout: 120_000 });
  const output = `${run.stdout}${run.stderr}`;
  expect(run.status).toBe(1);
  expect(output).toContain('Tests:       1 failed, 1 passed, 2 total');
  expect(output).toContain('FAILING-TEST-SAYS');
  expect(output).toContain('console output of the failed test "fails after warning"');
  expect(output).not.toContain('PASSING-TEST-SAYS');
  expect(output).toContain('FILE-LEVEL-SAYS');
  // The library's warning once, for the failing test: the passing test's was held back.
  expect(output.match(/DraTunedControlPlane 'test\/cp': warning: 8000 nodes/g)).toHaveLength(1);
}, 180_000);
