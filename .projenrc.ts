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
      // A passing run prints jest's summary only: console output (the library's warnings and
      // notes, src/common/warnings.ts) is held per test and shown when that test fails.
      testEnvironment: '<rootDir>/test/support/quiet-environment.js',
    },
  },
  tsJestOptions: {},
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'harness', 'examples', 'scripts', 'projenrc', '.projenrc.ts'],
    ignorePatterns: ['src/imports/**', '*.d.ts', 'examples/*/dist/**', 'examples/*/imports/**'],
  },

  // A launcher that turns on Node's compile cache, then the CLI bundled into one file
  // (scripts/bundle-cli.sh, run by the compile task): the CLI starts faster.
  bin: { 'cdk8s-dra': 'lib/cli/bin.js' },
  // Python bindings (jsii-pacmak --target python), proven by examples/python-quickstart.
  publishToPypi: { distName: 'cdk8s-dra', module: 'cdk8s_dra' },
  github: false,
  // Releases as construct libraries make them (README "Releases"): `npm run release` bumps the
  // version from the commit history, writes the changelog, builds and packs every language;
  // publishing the artifacts in dist/ is one step of its own, never run here.
  release: true,
  releaseToNpm: true,
  // jsii-diff against the last release on every compile (see the compat task below).
  compat: true,
  depsUpgrade: false,
  pullRequestTemplate: false,
  docgen: true,
  gitignore: ['*.tsbuildinfo'],
});

// The per-file coverage table is hundreds of lines after every run: the terminal gets the
// totals, coverage/lcov-report/index.html the table. (An override: projen appends to the list.)
project.package.file.addOverride('jest.coverageReporters', ['json', 'lcov', 'clover', 'cobertura', 'text-summary']);

// A failed test run prints the control plane's log tails (beside the default and jest-junit reporters).
project.jest?.addReporter(new javascript.JestReporter('<rootDir>/test/support/cluster/log-reporter.js'));

// ts-jest 29 is the last line that works with TypeScript 6.
project.addDevDeps('ts-jest@^29.4.15');

project.package.addEngine('node', '^20.0.0 || ^22.0.0 || ^24.0.0');

// The CLI's bin is bundled in the compile task itself, so every path to a package (npm pack, jsii-pacmak) has it.
project.addDevDeps('esbuild@^0.28.2');
project.compileTask.exec('bash scripts/bundle-cli.sh lib');

// `npm pack` on a fresh clone compiles first, so the tarball always has lib/ and .jsii.
// jsii-pacmak's js target runs `npm pack` itself right after compiling: the guard skips a second compile.
project.addTask('prepack', {
  description: 'Compile before `npm pack` (skipped inside jsii-pacmak, which packs what was just compiled)',
  condition: 'node -e "if (process.env.CDK8S_DRA_PACMAK) process.exit(1)"',
}).spawn(project.compileTask);
project.tasks.tryFind('package:js')?.env('CDK8S_DRA_PACMAK', '1');
project.tasks.tryFind('package:python')?.env('CDK8S_DRA_PACMAK', '1');
// projen's compat task runs `jsii-diff npm:cdk8s-dra`, which fails while nothing is released:
// the script compares with the last release on npm, and says so when there is none yet.
project.tasks.tryFind('compat')?.reset('bash scripts/compat.sh');

// Publishing is one step of its own, after `npm run release` built and packed the release into
// dist/: what projen's release workflows run (publib), here as tasks, since there are no
// workflows (github: false). Tokens come from the environment (NPM_TOKEN; TWINE_USERNAME and
// TWINE_PASSWORD); the tag it makes is the one the next bump counts commits from.
const publib = (command: string, dir: string) => `npx -p publib@${project.release!.publisher.publibVersion} ${command} ${dir}`;
const publishNpm = project.addTask('publish:npm', {
  description: 'Publish the release tarball in dist/js to npm (needs NPM_TOKEN)',
  exec: publib('publib-npm', 'dist/js'),
});
const publishPypi = project.addTask('publish:pypi', {
  description: 'Publish the release wheel and sdist in dist/python to PyPI (needs TWINE_USERNAME, TWINE_PASSWORD)',
  exec: publib('publib-pypi', 'dist/python'),
});
const publish = project.addTask('publish', {
  description: 'Publish what `npm run release` built in dist/ to npm and PyPI, then tag the release commit (push the tag yourself)',
});
publish.spawn(publishNpm);
publish.spawn(publishPypi);
publish.exec('git tag "$(cat dist/releasetag.txt)"');

// A tarball left in the checkout (from `npm pack`) never goes into the next one.
project.npmignore?.exclude('*.tgz');
// The package is the library (lib/, .jsii), its docs and runbooks; not the repository's tooling.
project.npmignore?.exclude('/.ci/', '/scripts/', '/examples/', '/harness/');

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
// After the main jest run (every test, the cluster and node tests on the newest Kubernetes), the
// other Kubernetes versions' runs (scripts/test-matrix.ts), before eslint. jest-junit names each
// suite by its file, which the matrix summary reads.
const testMatrix = project.addTask('test:matrix', {
  description: 'Run the real-cluster and real-node tests on every other Kubernetes test version (each version\'s scope), and sum up test-reports/version-matrix.json',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/test-matrix.ts',
});
project.testTask.env('JEST_JUNIT_SUITE_NAME', '{filepath}');
project.testTask.insertStep(project.testTask.steps.findIndex(step => step.spawn === 'eslint'), { spawn: testMatrix.name });

project.addTask('readme', {
  description: 'Regenerate the README tables that come from the code (sizing model, good-practice rules) and from bench-results/ (the benchmarks, the version matrix; -- --version-matrix: first record the last test run\'s matrix)',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/readme-tables.ts',
  receiveArgs: true,
});

project.addTask('cluster:build', {
  description: 'Build the Kubernetes test binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubeadm, kubectl, and the kubelet where the node tests run) of every version in tools/k8s/ into a cache outside the repo (-- --version 1.37: one); returns at once when built',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/cluster/build-all.ts',
  receiveArgs: true,
});
project.addTask('cluster:up', {
  description: 'Start the test control plane on loopback and print its KUBECONFIG (-- --version 1.36: that Kubernetes version)',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/cluster/up.ts',
  receiveArgs: true,
});
project.addTask('cluster:down', {
  description: 'Stop the control plane that cluster:up started',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/cluster/down.ts',
});

project.addTask('node:build', {
  description: 'Build the test node (containerd 2.2, the example DRA driver, DRANET, our pause and workload programs, the kubelet) into a cache outside the repo, and install runc and the CNI plugins from Debian; returns at once when built',
  exec: 'bash scripts/node/build.sh',
});
project.addTask('node:up', {
  description: 'Start the test node (root): a control plane, containerd and the kubelet on a private bridge; prints its KUBECONFIG',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/node/up.ts',
  receiveArgs: true,
});
project.addTask('node:down', {
  description: 'Stop the test node and put the machine back (mounts, bridge, NAT rule, cgroups, sysctls)',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/node/down.ts',
});

project.addTask('bench', {
  description: 'Benchmark: synthesis with the good-practice checks against raw ApiObjects at 500 and 4,000 namespaces; cdk8s-dra check against kube-score and Checkov at 2,000 and 10,000 namespaces and on 50 MB; peak RSS; writes bench-results/bench.json',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/bench.ts',
});

project.addTask('charts', {
  description: 'Draw the benchmark pictures (docs/images/*.svg) from bench-results/cluster.json and bench-results/bench.json',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/charts.ts',
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

project.addTask('bench:admission', {
  description: 'Benchmark: the apply time of 1,000 kubelet-plugin DaemonSets with and without DraGoodPracticesAdmission\'s policies on one fresh real control plane (the test version); writes bench-results/admission.json (--objects --repeats --concurrency --rules)',
  exec: 'ts-node --project scripts/tsconfig.json --transpile-only scripts/bench-admission.ts',
  receiveArgs: true,
});

// The control-plane bench's results are the README's data, not part of the package.
project.npmignore?.exclude('/bench-results/');

project.synth();
