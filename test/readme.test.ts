// The README is the user guide: what it states about the code must stay true.
import * as fs from 'fs';
import * as path from 'path';
import { KUBERNETES_TEST_VERSIONS } from '../harness/cluster/kubernetes-versions';
import { admissionBenchSection, benchSection, clusterBenchTable, rulesTable, sizingTable, versionMatrixTable } from '../scripts/readme-tables';
import { typeCheckPrograms } from './support/type-check';

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');

describe('README.md', () => {
  test('opens with the main job and the test command, and CI runs that test command verbatim', () => {
    const commands = /^```sh\n(.*)\n(.*)\n```/m.exec(readme);
    expect(commands).not.toBeNull();
    const [, mainJob, testCommand] = commands!.map(line => line.split('#')[0].trim());
    expect(mainJob).toBe('npm ci && npm run synth:examples');
    expect(testCommand).toBe('npm ci && npm test');
    const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf-8');
    expect(ci.split('\n')).toContain(testCommand);
  });

  const section = (name: string) => new RegExp(`<!-- ${name}:begin -->\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme)?.[1];

  test('the sizing table is the model\'s output (npm run readme)', () => {
    expect(section('sizing-table')).toBe(sizingTable());
  });

  test('the measured control-plane table is bench-results/cluster.json, the output of npm run bench:cluster (npm run readme)', () => {
    expect(section('cluster-bench')).toBe(clusterBenchTable());
    expect(section('cluster-bench')).toContain('(c) ControlPlaneSizing.recommend()');
  });

  test('the performance section is bench-results/bench.json, the output of npm run bench (npm run readme)', () => {
    expect(section('bench')).toBe(benchSection());
    expect(section('bench')).toContain('| kube-score |');
  });

  test('the admission policies\' cost is bench-results/admission.json, the output of npm run bench:admission (npm run readme)', () => {
    expect(section('admission-bench')).toBe(admissionBenchSection());
    expect(section('admission-bench')).toContain('ms per object');
  });

  test('the version matrix is bench-results/version-matrix.json, recorded from the README\'s test command, with every test version (npm run readme -- --version-matrix)', () => {
    expect(section('version-matrix')).toBe(versionMatrixTable());
    const recorded = JSON.parse(fs.readFileSync(path.join(root, 'bench-results', 'version-matrix.json'), 'utf-8'));
    expect(recorded.versions.map((v: any) => v.version).sort()).toEqual(KUBERNETES_TEST_VERSIONS.map(v => v.version).sort());
    for (const v of recorded.versions) {
      expect(v.suites.every((s: any) => s.failed === 0 && s.tests > 0)).toBe(true);
    }
  });

  test('the rules table is every rule\'s id, severity, what, why and fix, from the code (npm run readme)', () => {
    expect(section('rules-table')).toBe(rulesTable());
    expect(section('rules-table')).toContain('| DRA011 | warning |');
  });

  test('the install-from-build steps are the ones CI runs on each Node (scripts/ci-node-versions.sh)', () => {
    const script = fs.readFileSync(path.join(root, 'scripts', 'ci-node-versions.sh'), 'utf-8');
    const install = /In your app's folder[^\n]*\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const specs = (text: string) => [...text.matchAll(/'?((?:@types\/)?[a-z0-9-]+@[~^][0-9.]+|@types\/node)'?/g)].map(m => m[1]).sort();
    expect(specs(install)).toEqual(expect.arrayContaining(['cdk8s@^2.70', 'typescript@~6.0']));
    expect(specs(install)).toEqual(specs(script.split('\n').filter(l => /npm install/.test(l)).join('\n')));
    const tsconfig = (text: string) => /echo '(\{ "compilerOptions".*\})' > tsconfig\.json/.exec(text)?.[1];
    expect(tsconfig(install)).toBeDefined();
    expect(tsconfig(install)).toBe(tsconfig(script));
    expect(install).toMatch(/^npx ts-node main\.ts/m);
  });

  test('every relative link points at a file that exists', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)(#[^)]*)?\)/g)].map(m => m[1]);
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter(link => !fs.existsSync(path.join(root, link)))).toEqual([]);
  });
});

describe('README.md code', () => {
  // The snippets that are fragments use these names, as a reader's app would have them.
  const IMPORTS = [
    "import { App, Chart, Include } from 'cdk8s';",
    "import * as kplus from 'cdk8s-plus-28';",
    "import { ControlPlaneTarget, DraDriver, DraGoodPractices, DraMonitoring, DraRbac, DraTunedControlPlane, DriverUpgrade } from 'cdk8s-dra';",
  ];
  // Each is declared by an earlier snippet (checked below), as a reader going down the page has it.
  const DECLARED: Array<[string, string]> = [['app', 'App'], ['chart', 'Chart'], ['gpu', 'DraDriver']];
  /** The imports, and the names the fragment uses without declaring them. */
  const prelude = (code: string) => [
    ...IMPORTS,
    ...DECLARED.filter(([name]) => !new RegExp(`const ${name}\\b`).test(code)).map(([name, type]) => `declare const ${name}: ${type};`),
    '',
  ].join('\n');
  const snippets = [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map(m => m[1]);

  test('a fragment uses only names that it or an earlier snippet declares', () => {
    const declares = (code: string, name: string) => new RegExp(`const ${name}\\b`).test(code);
    // Outside string literals and comments ('gpu.example.com' is no use of `gpu`).
    const codeOnly = (code: string) => code.replace(/\/\/.*$/gm, '').replace(/'[^'\n]*'|`[^`]*`/g, "''");
    const uses = (code: string, name: string) => new RegExp(`\\b${name}\\b`).test(codeOnly(code));
    for (const [name] of DECLARED) {
      const first = snippets.findIndex(code => declares(code, name));
      const usedBefore = snippets.slice(0, first + 1).filter(code => uses(code, name) && !declares(code, name));
      expect({ name, declared: first >= 0, usedBefore: usedBefore.length }).toEqual({ name, declared: true, usedBefore: 0 });
    }
  });

  test('every TypeScript snippet type-checks against the library', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(6);
    const programs = snippets.map((code, i) => {
      const standalone = /^import /m.test(code);
      return [`snippet-${i}.ts`, `${standalone ? '' : prelude(code)}${code}\nexport {};\n`] as const;
    });
    expect(typeCheckPrograms('readme-snippets', programs)).toBe('');
  });
});
