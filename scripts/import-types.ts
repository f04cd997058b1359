/**
 * Regenerates src/imports/ offline, with cdk8s-cli's own code generator.
 *
 * - k8s.ts: the Kubernetes kinds cdk8s-plus-28 lacks, from the 1.34 schema that
 *   `cdk8s import k8s@1.34.0` downloads (../shared/k8s-schemas/v1.34.0/_definitions.json),
 *   filtered to the kinds this library emits. The code is what `cdk8s import` writes:
 *   cdk8s-cli's findApiObjectDefinitions, generateConstruct and emitHeader with json2jsii.
 * - monitoring.coreos.com.ts: `cdk8s import` of the prometheus-operator 0.93 CRDs in ../shared/crds/.
 *
 * cdk8s-cli's package `exports` hide lib/import/*, so they are required by file path.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const shared = path.resolve(root, '..', 'shared');
// `import-types [outdir]`: tests regenerate into a temporary folder to prove src/imports is current.
const outdir = path.resolve(process.argv[2] ?? path.join(root, 'src', 'imports'));
const cliDir = path.dirname(require.resolve('cdk8s-cli/package.json'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const k8s = require(path.join(cliDir, 'lib/import/k8s.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const k8sUtil = require(path.join(cliDir, 'lib/import/k8s-util.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const codegen = require(path.join(cliDir, 'lib/import/codegen.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TypeGenerator } = require(path.join(path.dirname(require.resolve('json2jsii/package.json', { paths: [cliDir] })), 'lib/index.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CodeMaker } = require(require.resolve('codemaker', { paths: [cliDir] }));

/** The kinds this library emits that cdk8s-plus-28 has no type for. */
const K8S_KINDS: ReadonlyArray<{ group: string; version: string; kind: string }> = [
  { group: 'resource.k8s.io', version: 'v1', kind: 'DeviceClass' },
  { group: 'resource.k8s.io', version: 'v1', kind: 'ResourceClaim' },
  { group: 'resource.k8s.io', version: 'v1', kind: 'ResourceClaimTemplate' },
  { group: 'resource.k8s.io', version: 'v1', kind: 'ResourceSlice' },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicyBinding' },
];

const CRDS = [
  'monitoring.coreos.com_prometheusrules.yaml',
  'monitoring.coreos.com_servicemonitors.yaml',
  'monitoring.coreos.com_podmonitors.yaml',
];

async function importK8s(): Promise<void> {
  const schemaFile = path.join(shared, 'k8s-schemas', 'v1.34.0', '_definitions.json');
  const schema = k8sUtil.safeParseJsonSchema(fs.readFileSync(schemaFile, 'utf-8'));
  const all = k8s.findApiObjectDefinitions(schema, 'Kube');
  const wanted = all.filter((o: any) => K8S_KINDS.some(k => k.group === o.group && k.version === o.version && k.kind === o.kind));
  if (wanted.length !== K8S_KINDS.length) {
    throw new Error(`expected ${K8S_KINDS.length} kinds in ${schemaFile}, found ${wanted.length}`);
  }

  // Same TypeGenerator set-up as cdk8s-cli's ImportKubernetesApi.generateTypeScript.
  const typeGenerator = new TypeGenerator({
    definitions: schema.definitions,
    renderTypeName: (def: string) => {
      const parsed = k8sUtil.parseApiTypeName(def);
      if (!parsed.version) {
        return parsed.basename;
      }
      return codegen.getTypeName(false, parsed.basename, parsed.version.raw);
    },
  });
  for (const o of wanted) {
    typeGenerator.addDefinition(o.fqn, { $ref: `#/definitions/${codegen.getPropsTypeName(o)}` });
  }
  for (const o of wanted) {
    codegen.generateConstruct(typeGenerator, o);
  }

  const code = new CodeMaker();
  code.indentation = 2;
  code.openFile('k8s.ts');
  codegen.emitHeader(code, false);
  code.line(typeGenerator.render());
  code.closeFile('k8s.ts');
  await code.save(outdir);
}

function importCrds(): void {
  // The three CRDs share one API group, so `cdk8s import` must see them together to
  // write a single monitoring.coreos.com.ts: hand it one multi-document file.
  const combined = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-crds-')), 'monitoring.coreos.com.yaml');
  fs.writeFileSync(combined, CRDS.map(crd => fs.readFileSync(path.join(shared, 'crds', crd), 'utf-8')).join('\n---\n'));
  const cli = path.join(cliDir, 'bin', 'cdk8s');
  execFileSync(process.execPath, [cli, 'import', combined, '--language', 'typescript', '--output', outdir, '--no-save', '--no-check-upgrade'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  fs.rmSync(path.dirname(combined), { recursive: true, force: true });
}

async function main(): Promise<void> {
  if (!fs.existsSync(shared)) {
    throw new Error(`${shared} not found: the import task reads the schemas from ../shared`);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  await importK8s();
  importCrds();
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
