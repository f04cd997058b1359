/**
 * Regenerates src/imports/ offline, with cdk8s-cli's own code generator.
 *
 * - k8s.ts: every Kubernetes kind this library writes, from the OpenAPI schema
 *   (api/openapi-spec/swagger.json) of the k8s.io/kubernetes release that the newest
 *   tools/k8s/v1.<minor>/go.mod requires, read from the Go module cache (`go mod download`
 *   fetches it on a fresh machine). The schema goes through the same conversion as the ones
 *   `cdk8s import k8s@<version>` downloads, and the code is what `cdk8s import` writes:
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

/** The kinds this library emits. */
const K8S_KINDS: ReadonlyArray<{ group: string; version: string; kind: string }> = [
  { group: 'apps', version: 'v1', kind: 'DaemonSet' },
  { group: 'apps', version: 'v1', kind: 'Deployment' },
  { group: '', version: 'v1', kind: 'Service' },
  { group: '', version: 'v1', kind: 'ServiceAccount' },
  { group: '', version: 'v1', kind: 'Namespace' },
  { group: '', version: 'v1', kind: 'ConfigMap' },
  { group: '', version: 'v1', kind: 'ResourceQuota' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding' },
  { group: 'resource.k8s.io', version: 'v1', kind: 'DeviceClass' },
  { group: 'resource.k8s.io', version: 'v1', kind: 'ResourceClaim' },
  { group: 'resource.k8s.io', version: 'v1', kind: 'ResourceClaimTemplate' },
  { group: 'resource.k8s.io', version: 'v1', kind: 'ResourceSlice' },
  { group: 'resource.k8s.io', version: 'v1', kind: 'DeviceTaintRule' },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicyBinding' },
];

const CRDS = [
  'monitoring.coreos.com_prometheusrules.yaml',
  'monitoring.coreos.com_servicemonitors.yaml',
  'monitoring.coreos.com_podmonitors.yaml',
];

/**
 * The k8s.io/kubernetes release the newest tools/k8s/v1.<minor>/go.mod requires (pre-release
 * directories such as v1.38-beta are skipped: the types follow a released API) and that
 * directory, where `go mod download` resolves it.
 */
function kubernetesRelease(): { version: string; moduleDir: string } {
  const toolsDir = path.join(root, 'tools', 'k8s');
  const minors = fs.readdirSync(toolsDir)
    .map(dir => /^v1\.(\d+)$/.exec(dir))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(m => Number(m[1]))
    .sort((a, b) => b - a);
  if (minors.length === 0) {
    throw new Error(`no tools/k8s/v1.<minor> directory in ${toolsDir}`);
  }
  const moduleDir = path.join(toolsDir, `v1.${minors[0]}`);
  const goMod = fs.readFileSync(path.join(moduleDir, 'go.mod'), 'utf-8');
  const required = /^\s*(?:require\s+)?k8s\.io\/kubernetes\s+(v\S+)/m.exec(goMod);
  if (!required) {
    throw new Error(`${moduleDir}/go.mod does not require k8s.io/kubernetes`);
  }
  return { version: required[1], moduleDir };
}

/** The OpenAPI v2 schema file of a k8s.io/kubernetes release, from the Go module cache. */
function kubernetesSwagger(release: { version: string; moduleDir: string }): string {
  const download = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${release.version}`], {
    cwd: release.moduleDir,
    env: { ...process.env, GOFLAGS: '-mod=mod' },
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }));
  if (download.Error || !download.Dir) {
    throw new Error(`go mod download k8s.io/kubernetes@${release.version}: ${download.Error ?? 'no Dir'}`);
  }
  return path.join(download.Dir, 'api', 'openapi-spec', 'swagger.json');
}

/**
 * The conversion cdk8s applies to swagger.json before publishing the schemas `cdk8s import k8s`
 * reads (cdk8s-team/cdk8s tools/import-spec.sh runs `openapi2jsonschema --kubernetes`):
 * IntOrString and Quantity become a string-or-number union, and each kind's `kind` property an
 * enum of its kinds. Without it, `port: 8080` and `cpu: 1` would be typed as strings only.
 */
function asCdk8sSchema(swagger: { definitions: Record<string, any> }): { definitions: Record<string, any> } {
  const definitions = swagger.definitions;
  definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { oneOf: [{ type: 'string' }, { type: 'number' }] };
  for (const definition of Object.values<any>(definitions)) {
    const kindProperty = definition.properties?.kind;
    for (const gvk of definition['x-kubernetes-group-version-kind'] ?? []) {
      if (kindProperty) {
        kindProperty.enum ??= [];
        if (!kindProperty.enum.includes(gvk.kind)) {
          kindProperty.enum.push(gvk.kind);
        }
      }
    }
  }
  return { definitions };
}

async function importK8s(): Promise<void> {
  const schemaFile = kubernetesSwagger(kubernetesRelease());
  // cdk8s-cli's safe parser (it sanitizes descriptions) sees what `cdk8s import` would: the definitions.
  const schema = k8sUtil.safeParseJsonSchema(JSON.stringify(asCdk8sSchema(JSON.parse(fs.readFileSync(schemaFile, 'utf-8')))));
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
    throw new Error(`${shared} not found: the import task reads the prometheus-operator CRDs from ../shared`);
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
