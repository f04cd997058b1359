// The example apps are what admins copy: their committed YAML (examples/<name>/dist/) must be
// exactly what they synthesize today, and every object must pass the official schema.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { DraGoodPractices, GoodPracticesOptions } from '../src';
import { nodeFileShape, registerControlPlaneKinds, shapeErrors } from './control-plane/upstream-types';
import { expectValidObjects } from './support/harness';
import { OWNED_FILES_LIST } from '../src/control-plane/owned-files';

// The control-plane chart holds kubeadm's ClusterConfiguration, checked against kubeadm's types.
registerControlPlaneKinds();

/**
 * What each example declares about its cluster, given to the checks as an admin would give
 * them to `cdk8s-dra check` (`--admin`, `--nodes`, `--pod-creation-qps`, `--min-kubelet-version`).
 */
const DECLARED: { [example: string]: GoodPracticesOptions } = {
  'gpu-kubeadm': {
    adminSubjects: ['Group:platform-admins', 'ServiceAccount:argocd:argocd-application-controller'],
    scale: { nodes: 100, podCreationQps: 10, claimsPerPod: 1 },
    minKubeletVersion: '1.34',
  },
  'gpu-nic-k3s': {
    adminSubjects: ['Group:platform-admins', 'ServiceAccount:flux-system:kustomize-controller'],
    scale: { nodes: 40, podCreationQps: 5, claimsPerPod: 2 },
    minKubeletVersion: '1.34',
  },
  'dra-driver-cpu': { minKubeletVersion: '1.34' },
  'dranet': { minKubeletVersion: '1.34' },
  'intel-gpu': { minKubeletVersion: '1.34' },
  'nvidia-gpu': { minKubeletVersion: '1.34' },
  'quickstart': { minKubeletVersion: '1.34' },
};

const examplesDir = path.resolve(__dirname, '..', 'examples');
const examples = fs.readdirSync(examplesDir)
  .filter(name => fs.existsSync(path.join(examplesDir, name, 'main.ts')))
  .sort();

/** Runs an example's main.ts the way `npm run synth:examples` does, into a temporary folder. */
function synthExample(name: string): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-dra-example-${name}-`));
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(examplesDir, name, 'main.ts'));
    });
    return readDir(outdir);
  } finally {
    process.env.CDK8S_OUTDIR = previous;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function readDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) {
    return files;
  }
  const entries = (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
  for (const file of entries.filter(entry => fs.statSync(path.join(dir, entry)).isFile())) {
    files.set(file.split(path.sep).join('/'), fs.readFileSync(path.join(dir, file), 'utf-8'));
  }
  return files;
}

test('there are example apps', () => {
  expect(examples.length).toBeGreaterThan(0);
});

describe.each(examples)('example %s', (name) => {
  const synthesized = synthExample(name);

  test('is a cdk8s app: `cdk8s synth` in its folder runs main.ts into dist/', () => {
    const config = parse(fs.readFileSync(path.join(examplesDir, name, 'cdk8s.yaml'), 'utf-8'));
    expect(config.language).toBe('typescript');
    expect(config.output).toBe('dist');
    expect(config.app).toMatch(/ main\.ts$/);
  });

  test('committed dist/ is what the app synthesizes today (run `npm run synth:examples`)', () => {
    const committed = readDir(path.join(examplesDir, name, 'dist'));
    expect([...committed.keys()]).toEqual([...synthesized.keys()]);
    for (const [file, text] of synthesized) {
      expect({ file, text: committed.get(file) }).toEqual({ file, text });
    }
  });

  const objects = [...synthesized.entries()]
    .filter(([file]) => file.endsWith('.k8s.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map(doc => doc.toJSON()))
    .filter(obj => obj);

  test('the good-practice checks find nothing in its manifests (as `cdk8s-dra check` reads them)', () => {
    expect(Object.keys(DECLARED)).toContain(name);
    const report = DraGoodPractices.checkObjects(objects, DECLARED[name]);
    expect(report.objectCount).toBe(objects.length);
    expect(report.findings.map(f => `${f.ruleId} ${f.object.kind} ${f.object.name}: ${f.message}`)).toEqual([]);
  });

  test('every node file matches the upstream type it is read as', () => {
    for (const [file, text] of synthesized) {
      // The list writeFiles keeps of the files it owns is no node file.
      if (file.endsWith('.k8s.yaml') || path.basename(file) === OWNED_FILES_LIST) continue;
      const shape = nodeFileShape(file);
      expect({ file, known: shape !== undefined }).toEqual({ file, known: true });
      expect({ file, errors: shapeErrors(parse(text), shape!) }).toEqual({ file, errors: [] });
    }
  });

  test('every Kubernetes object it writes passes the official schema', () => {
    expect(objects.length).toBeGreaterThan(0);
    expectValidObjects(objects);
  });
});
