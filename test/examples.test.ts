// The example apps are what admins copy: their committed YAML (examples/<name>/dist/) must be
// exactly what they synthesize today, and every object must pass the official schema.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { expectValidObjects } from './support/harness';

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

  test('committed dist/ is what the app synthesizes today (run `npm run synth:examples`)', () => {
    const committed = readDir(path.join(examplesDir, name, 'dist'));
    expect([...committed.keys()]).toEqual([...synthesized.keys()]);
    for (const [file, text] of synthesized) {
      expect({ file, text: committed.get(file) }).toEqual({ file, text });
    }
  });

  test('every Kubernetes object it writes passes the official schema', () => {
    const objects = [...synthesized.entries()]
      .filter(([file]) => file.endsWith('.k8s.yaml'))
      .flatMap(([, text]) => parseAllDocuments(text).map(doc => doc.toJSON()))
      .filter(obj => obj);
    expect(objects.length).toBeGreaterThan(0);
    expectValidObjects(objects);
  });
});
