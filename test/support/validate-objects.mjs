// Validates Kubernetes objects against the official schemas, in a plain Node ESM process
// because kubernetes-models and @kubernetes-models/prometheus-operator are ESM-only.
// stdin: a JSON array of objects. stdout: a JSON array, one entry per object:
// { apiVersion, kind, name, errors: string[] }. An object whose kind has no schema is an
// error, never a pass.

const SOURCES = [
  { test: apiVersion => apiVersion.startsWith('monitoring.coreos.com/'), pkg: '@kubernetes-models/prometheus-operator' },
  { test: () => true, pkg: 'kubernetes-models' },
];

async function loadModel(apiVersion, kind) {
  const source = SOURCES.find(s => s.test(apiVersion));
  // Core kinds live under "v1/", grouped ones under "<group>/<version>/".
  const specifier = `${source.pkg}/${apiVersion}/${kind}`;
  try {
    const mod = await import(specifier);
    return mod[kind];
  } catch (err) {
    if (err && (err.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || err.code === 'ERR_MODULE_NOT_FOUND')) {
      return undefined;
    }
    throw err;
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const objects = JSON.parse(Buffer.concat(chunks).toString('utf-8'));
  const results = [];
  for (const obj of objects) {
    const apiVersion = obj?.apiVersion;
    const kind = obj?.kind;
    const name = obj?.metadata?.name;
    const entry = { apiVersion, kind, name, errors: [] };
    results.push(entry);
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      entry.errors.push('object has no apiVersion/kind');
      continue;
    }
    const Model = await loadModel(apiVersion, kind);
    if (!Model) {
      entry.errors.push(`no official schema for ${apiVersion} ${kind}: the harness cannot validate it`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (err) {
      const details = Array.isArray(err?.errors)
        ? err.errors.map(e => `${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`)
        : [String(err?.message ?? err)];
      entry.errors.push(...details);
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch(err => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
