import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-dra',
  // No double quotes: jsii-pacmak embeds the description in setup.py as JSON inside a Python string.
  description:
    'cdk8s constructs for Kubernetes Dynamic Resource Allocation (DRA): driver kubelet plugins, least-privilege RBAC, control-plane tuning and monitoring, following the upstream page Good practices for DRA as a Cluster Admin.',
  author: 'cdk8s-dra maintainers',
  authorAddress: 'maintainers@users.noreply.r-seed-2189fe67.example',
  repositoryUrl: 'https://github.com/maintainers/cdk8s-dra.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'kubernetes', 'dra', 'dynamic-resource-allocation', 'gpu', 'prometheus'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // Node 22 and 24 are the supported LTS lines (scripts/ci-node-versions.sh runs them); 20 is past
  // its end of life and kept while it works. `engines` is set below to say exactly that.
  minNodeVersion: '20.0.0',

  // Toolchain pinned as the developers' guide says: TypeScript 7 breaks ts-node and ts-jest.
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.4.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // Synth-time parsing of CEL selectors and the CLI's YAML reader ship with the library.
  // @bufbuild/protobuf is @bufbuild/cel's peer dependency: a bundle is never installed into, so it
  // must hold it too (the jsii kernel behind the Python bindings loads the tarball as it is).
  bundledDeps: ['@bufbuild/cel@^0.6.1', '@bufbuild/protobuf@^2.6.2', 'yaml@^2.8.0'],
  devDeps: [
    'cdk8s-cli@^2.207.0',
    'json2jsii@^0.5.19',
    'kubernetes-models@^5.1.0',
    '@kubernetes-models/prometheus-operator@^6.0.0',
    '@prometheus-io/lezer-promql@^0.315.0',
    'fast-check@^4.3.0',
  ],

  jestOptions: {
    jestVersion: '^30',
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
      // Validation spawns node processes and promtool: keep it to the 2 cores we have.
      maxWorkers: 2,
      testTimeout: 60_000,
      // Tests and examples import the library by its package name, as users do.
      moduleNameMapper: { '^cdk8s-dra$': '<rootDir>/src' },
      // The cluster tests share one control plane per run: the first one starts it, teardown stops it.
      globalSetup: '<rootDir>/test/support/cluster/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/cluster/global-teardown.ts',
    },
  },
  tsJestOptions: {},
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts', 'projenrc', '.projenrc.ts'],
    ignorePatterns: ['src/imports/**', '*.d.ts', 'examples/*/dist/**', 'examples/*/imports/**'],
  },

  bin: { 'cdk8s-dra': 'lib/cli/main.js' },
  // Python bindings (jsii-pacmak --target python), proven by examples/python-quickstart.
  publishToPypi: { distName: 'cdk8s-dra', module: 'cdk8s_dra' },
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  docgen: true,
  gitignore: ['*.tsbuildinfo'],
});

// A failed test run prints the control plane's log tails (beside the default and jest-junit reporters).
project.jest?.addReporter(new javascript.JestReporter('<rootDir>/test/support/cluster/log-reporter.js'));

// ts-jest 29 is the last line that works with TypeScript 6.
project.addDevDeps('ts-jest@^29.4.15');

project.package.addEngine('node', '^20.0.0 || ^22.0.0 || ^24.0.0');

// `npm pack` on a fresh clone compiles first, so the tarball always has lib/ and .jsii.
// jsii-pacmak's js target runs `npm pack` itself right after compiling: the guard skips a second compile.
project.addTask('prepack', {
  description: 'Compile before `npm pack` (skipped inside jsii-pacmak, which packs what was just compiled)',
  condition: 'node -e "if (process.env.CDK8S_DRA_PACMAK) process.exit(1)"',
}).spawn(project.compileTask);
project.tasks.tryFind('package:js')?.env('CDK8S_DRA_PACMAK', '1');
project.tasks.tryFind('package:python')?.env('CDK8S_DRA_PACMAK', '1');
// A tarball left in the checkout (from `npm pack`) never goes into the next one.
project.npmignore?.exclude('*.tgz');
// The package is the library (lib/, .jsii), its docs and runbooks; not the repository's tooling.
project.npmignore?.exclude('/.ci/', '/scripts/', '/examples/');

// Examples import the library by its package name, as a user's app does; scripts/local-package.ts
// resolves it to src/ at run time.
project.eslint?.addOverride({
  files: ['examples/**/*.ts'],
  rules: { 'import/no-unresolved': ['error', { ignore: ['^cdk8s-dra$'] }] },
});

// The compiled files' inline source maps name ../src/*.ts: ship those sources, so stack traces
// (node --enable-source-maps) point at files that exist in the installed package.
project.npmignore?.removePatterns('/src/');

// Generated code is marked as such so reviewers and GitHub collapse it.
project.gitattributes.addAttributes('/src/imports/**', 'linguist-generated');

project.addTask('import', {
  description:
    'Regenerate src/imports/: every Kubernetes kind the library writes from the OpenAPI schema of the release the newest tools/k8s/v1.<minor>/go.mod requires (Go module cache), monitoring.coreos.com/v1 from the prometheus-operator CRDs in ../shared',
  exec: 'ts-node --project scripts/tsconfig.json scripts/import-types.ts',
});

project.addTask('synth:examples', {
  description: 'Synthesize every example app under examples/ to YAML (examples/<name>/dist/)',
  exec: 'ts-node --project scripts/tsconfig.json scripts/synth-examples.ts',
});

// ts-jest transpiles tests without type-checking them: check src, tests, examples and scripts first.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check src, test, examples and scripts',
  exec: 'tsc --noEmit -p scripts/tsconfig.json',
});
project.testTask.prependSpawn(typecheck);
// The README's test command sets up what the suite needs (Kubernetes binaries, the test node,
// promtool, jq, linters) when missing, before any test runs: a newcomer's `npm ci && npm test` passes.
const testSetup = project.addTask('test:setup', {
  description: 'Set up what the test suite needs when missing (Debian packages, every Kubernetes test version, the test node, the linters), cached outside the repo',
  exec: 'bash scripts/test-setup.sh',
});
project.testTask.prependSpawn(testSetup);

project.addTask('readme', {
  description: 'Regenerate the README tables that come from the code (sizing model, good-practice rules)',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/readme-tables.ts',
});

project.addTask('cluster:build', {
  description: 'Build the Kubernetes test binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubeadm, kubectl, and the kubelet where the node tests run) of every version in tools/k8s/ into a cache outside the repo (-- --version 1.37: one); returns at once when built',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/cluster/build-all.ts',
  receiveArgs: true,
});
project.addTask('cluster:up', {
  description: 'Start the test control plane on loopback and print its KUBECONFIG',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/cluster/up.ts',
});
project.addTask('cluster:down', {
  description: 'Stop the control plane that cluster:up started',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/cluster/down.ts',
});

project.addTask('node:build', {
  description: 'Build the test node (containerd 2.2, the example DRA driver, our pause and workload programs, the kubelet) into a cache outside the repo, and install runc and the CNI plugins from Debian; returns at once when built',
  exec: 'bash scripts/node/build.sh',
});
project.addTask('node:up', {
  description: 'Start the test node (root): a control plane, containerd and the kubelet on a private bridge; prints its KUBECONFIG',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/node/up.ts',
});
project.addTask('node:down', {
  description: 'Stop the test node and put the machine back (mounts, bridge, NAT rule, cgroups, sysctls)',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/node/down.ts',
});

project.addTask('bench', {
  description: 'Benchmark: synthesis against raw ApiObjects at 500/5,000/20,000 namespaces, peak RSS, and the good-practice checks on 10,000 and 20,000 objects',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/bench.ts',
});

project.addTask('linters:install', {
  description: 'Build kube-score (tools/linters/go.mod) and install Checkov (PyPI) into a cache outside the repo, for test/linters.test.ts',
  exec: 'scripts/linters/install.sh',
});

project.addTask('bench:cluster', {
  description: 'Benchmark: the page\'s DRA scale test (100 fake nodes, 720 long-lived + 80 churn pods x 10 at 10 Jobs/s) on a fresh real control plane per run, kube-controller-manager and kube-scheduler at their defaults, the page\'s 75/150 and ControlPlaneSizing.recommend(); writes bench-results/cluster.json (--smoke: a few nodes, one run)',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/bench-cluster/main.ts',
  receiveArgs: true,
});

// The control-plane bench's results are the README's data, not part of the package.
project.npmignore?.exclude('/bench-results/');

project.synth();
