// The CLI on hostile and odd inputs: it never crashes, never answers an input with a usage
// error, and keeps checking the other files.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run, tmpFiles } from './support';


const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n  namespace: app\n';

/** A YAML "billion laughs": nine levels of nine aliases each. */
function aliasBomb(): string {
  let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    text += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
  }
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${text.split('\n').map(l => `  ${l}`).join('\n')}`;
}

describe('cdk8s-dra check never crashes on an input', () => {
  test('a manifest that makes a rule throw (rules: [null]) is an input error naming file and document, exit 1, not a usage error', () => {
    const dir = tmpFiles({
      'role.yaml': `${GOOD}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: odd}\nrules: [null, 3, "x"]\n`,
    });
    const { code, stdout, stderr } = run('check', dir, '--format', 'json');
    expect(code).toBe(1);
    expect(stderr).not.toContain('Usage');
    const report = JSON.parse(stdout);
    expect(report.objectCount).toBe(2);
    expect(report.inputErrors.filter((e: string) => e.includes('role.yaml: document 2'))).toEqual(report.inputErrors);
  });

  test.each<[string, unknown]>([
    ['metadata a string', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: 'x' }],
    ['spec a list', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: [1] }],
    ['subjects null', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'r' }, subjects: [null] }],
    ['a template of numbers', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template: { spec: { volumes: 7, containers: 'c' } } } }],
  ])('%s: no crash', (_name, object) => {
    const dir = tmpFiles({ 'odd.json': JSON.stringify(object) });
    const { code, stdout } = run('check', dir, '--format', 'json');
    expect([0, 1]).toContain(code);
    expect(() => JSON.parse(stdout)).not.toThrow();
  });

  test('a YAML alias bomb is refused with its file named; the other files are still checked, and JSON still printed', () => {
    const dir = tmpFiles({ 'a-bomb.yaml': aliasBomb(), 'b-good.yaml': GOOD });
    const { code, stdout } = run('check', dir, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.objectCount).toBe(1);
    expect(report.inputErrors).toEqual([expect.stringMatching(/a-bomb\.yaml: document 1 \(line 1\): cannot be read \(YAML aliases expand beyond any manifest \(an alias bomb\)\)$/)]);
  });

  test('an alias to an anchor of another document is refused', () => {
    const dir = tmpFiles({ 'cross.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: one}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: *m\n' });
    const report = JSON.parse(run('check', dir, '--format', 'json').stdout);
    expect(report.objectCount).toBe(1);
    expect(report.inputErrors).toEqual([expect.stringContaining('cross.yaml: document 2')]);
    expect(report.inputErrors[0]).toContain('an alias cannot refer to an anchor of another document');
  });

  // Flow nesting deep enough to exhaust the parser's stack; block nesting past the depth limit.
  test.each([['flow', `${'['.repeat(30000)}${']'.repeat(30000)}`], ['block', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')]])(
    'deeply nested %s YAML gives a clear error, not "Maximum call stack size exceeded"', (_style, text) => {
      const dir = tmpFiles({ 'deep.yaml': text, 'good.yaml': GOOD });
      const { code, stdout } = run('check', dir, '--format', 'json');
      expect(code).toBe(1);
      const report = JSON.parse(stdout);
      expect(report.objectCount).toBe(1);
      expect(report.inputErrors).toEqual([expect.stringMatching(/deep\.yaml: document 1.*nested/)]);
      expect(stdout).not.toContain('call stack');
    });

  test('items of kind: List are checked, nested Lists too', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
        { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }, { not: 'an object' }] },
      ],
    };
    const report = JSON.parse(run('check', tmpFiles({ 'list.json': JSON.stringify(list) }), '--format', 'json').stdout);
    expect(report.objectCount).toBe(2);
    expect(report.notes).toContainEqual(expect.stringMatching(/list\.json: document 1 \(line 1\), item 2\.2: not a Kubernetes object/));
  });

  test('a kustomization directory is refused with "run kustomize build first"', () => {
    const dir = tmpFiles({ 'overlay/kustomization.yaml': 'resources: [a.yaml]\n', 'overlay/a.yaml': GOOD, 'plain/b.yaml': GOOD });
    const { code, stdout } = run('check', dir, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.objectCount).toBe(1);
    expect(report.inputErrors).toEqual([expect.stringMatching(/overlay: a kustomization directory \(kustomization\.yaml\): run `kustomize build .*overlay` .*first/)]);
  });

  test('an empty file, or a directory without manifests, is said: exit 0, and 1 with --strict', () => {
    const dir = tmpFiles({ 'empty.yaml': '# nothing\n---\n', 'docs/readme.md': 'not yaml' });
    const empty = path.join(dir, 'empty.yaml');
    const noManifests = path.join(dir, 'docs');
    const lenient = run('check', empty, noManifests);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain(`Empty inputs (nothing to check):\n  ${empty}: no documents (the file is empty or holds only comments)\n  ${noManifests}: no .yaml, .yml or .json files in this directory`);
    expect(run('check', empty, noManifests, '--strict').code).toBe(1);
    expect(run('check', empty, '--strict=yes').code).toBe(2);
  });

  test('duplicate objects across files are reported with both places', () => {
    const dir = tmpFiles({ 'a.yaml': GOOD, 'b.yaml': `# same object\n${GOOD}` });
    const { code, stdout } = run('check', dir, '--format', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).inputErrors).toEqual([
      `${path.join(dir, 'b.yaml')}: document 1 (line 2): ConfigMap app/fine: duplicates ${path.join(dir, 'a.yaml')}: document 1 (line 1): ConfigMap app/fine (same API group, kind, namespace and name: only one of them can exist in the cluster)`,
    ]);
  });
});

describe('numbers on the command line', () => {
  test.each(['0x10', '1e308', 'Infinity', '1e400', ''])('plan --nodes %j is refused (exit 2)', nodes => {
    const { code, stderr } = run('plan', '--nodes', nodes, '--pod-creation-qps', '10');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^cdk8s-dra: (--nodes must be a decimal number|ClusterScale: nodes)/);
  });
});

describe('memory follows the input', () => {
  test('objects read from 10 MB of manifests retain less than 6 times the input (the parser\'s strings are not kept)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-big-')), 'big.yaml');
    const env = Array.from({ length: 20 }, (_, j) => `        - {name: V${j}, value: "${'x'.repeat(40)}"}\n`).join('');
    const docs: string[] = [];
    for (let i = 0, size = 0; size < 10 * 1024 * 1024; i++) {
      const doc = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds-${i}, namespace: ns}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        env:\n${env}---\n`;
      docs.push(doc);
      size += doc.length;
    }
    const text = docs.join('');
    fs.writeFileSync(file, text);
    const script = `
      const { readManifests } = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'src', 'good-practices', 'inputs', 'manifest-reader'))});
      global.gc();
      const before = process.memoryUsage().heapUsed;
      const read = readManifests([${JSON.stringify(file)}]);
      global.gc();
      process.stdout.write(JSON.stringify({ retained: process.memoryUsage().heapUsed - before, objects: read.objects.length }));`;
    const result = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf-8', cwd: path.resolve(__dirname, '..', '..') });
    expect(result.stderr).toBe('');
    const { retained, objects } = JSON.parse(result.stdout);
    expect(objects).toBe(docs.length);
    expect(retained).toBeLessThan(6 * text.length);
  });
});
