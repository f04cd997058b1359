// Reads ../shared/fixtures (real upstream DRA manifests, always present next to the repo in CI).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { run, tmpFiles } from './support';
import { ClientRateLimit, ControlPlaneTarget, DraTunedControlPlane } from '../../src';

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.relative(process.cwd(), path.resolve(REPO, '..', 'shared', 'fixtures'));
const EXAMPLE_DRIVER_DIR = path.join(FIXTURES, 'dra-example-driver');
const EXAMPLE_DRIVER = path.join(EXAMPLE_DRIVER_DIR, 'rendered-defaults.yaml');


describe('cdk8s-dra check on the upstream fixtures', () => {
  // Every rendering's findings are pinned in test/good-practices/vendor-renderings.test.ts; these tests are about the CLI's output.
  test('reports the example driver\'s findings as JSON, and exits 0 on warnings only', () => {
    const { code, stdout } = run('check', EXAMPLE_DRIVER_DIR, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const daemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      name: 'dra-example-driver-kubeletplugin',
      namespace: 'dra-example-driver',
      location: `${EXAMPLE_DRIVER}:96`,
    };
    expect(report.findings.map((f: any) => `${f.ruleId} ${f.severity} ${f.object.kind} ${f.object.name}`)).toEqual([
      'DRA014 warning ClusterRoleBinding dra-example-driver-role-binding',
      'DRA004 warning DaemonSet dra-example-driver-kubeletplugin',
      'DRA011 warning DaemonSet dra-example-driver-kubeletplugin',
    ]);
    expect(report.findings[1]).toEqual({
      ruleId: 'DRA004',
      severity: 'warning',
      object: daemonSet,
      message: 'the pod template lacks a toleration for karpenter.sh/disrupted:NoSchedule (Karpenter) and the annotation cluster-autoscaler.kubernetes.io/enable-ds-eviction: "false" (Cluster Autoscaler)',
      fix: expect.stringContaining('cluster-autoscaler.kubernetes.io/enable-ds-eviction: "false"'),
    });
    expect(report.suppressed).toEqual([]);
    expect(report.inputErrors).toEqual([]);
    expect(report.objectCount).toBe(8);
    expect(report.notes).toEqual([
      expect.stringMatching(/^DRA002: DaemonSet dra-example-driver\/dra-example-driver-kubeletplugin uses maxSurge 1/),
      expect.stringMatching(/^DRA009 did not run/),
    ]);
  });

  test('the e2e test driver\'s guard matches only v1alpha3, which 1.34 does not serve: an error, exit 1', () => {
    const { code, stdout } = run('check', path.join(FIXTURES, 'k8s-e2e-test-driver'), '--format', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).findings.map((f: any) => `${f.ruleId} ${f.object.name}`)).toEqual([
      'DRA012 resourceclaim-policy.dra.example.com',
      'DRA012 resourceclaimtemplate-policy.dra.example.com',
      'DRA008 dra-kubelet-plugin-role-binding',
      'DRA012 resourceslices-policy-dra-kubelet-plugin',
    ]);
  });

  test('prints findings grouped by object, with severity, rule id, message and fix', () => {
    const { code, stdout } = run('check', EXAMPLE_DRIVER_DIR);
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(4, 9)).toEqual([
      `DaemonSet dra-example-driver/dra-example-driver-kubeletplugin  (${EXAMPLE_DRIVER}:96)`,
      '  warning DRA004  the pod template lacks a toleration for karpenter.sh/disrupted:NoSchedule (Karpenter) and the annotation cluster-autoscaler.kubernetes.io/enable-ds-eviction: "false" (Cluster Autoscaler)',
      expect.stringMatching(/^ {18}fix: Add the toleration /),
      expect.stringMatching(/^ {2}warning DRA011 {2}this input deploys DRA driver/),
      expect.stringMatching(/^ {18}fix: Add PrometheusRule objects/),
    ]);
    expect(stdout).toContain('\nNotes:\n  DRA002: ');
    expect(stdout.trimEnd().split('\n').pop()).toBe('0 errors, 3 warnings in 8 objects');
  });

  test('--kubernetes-version sets the target the served-version rules judge by', () => {
    const taints = tmpFiles({ 'rule.yaml': 'apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingAdmissionPolicy\nmetadata: {name: m}\nspec: {}\n' });
    expect(JSON.parse(run('check', taints, '--format', 'json').stdout).findings.map((f: any) => f.ruleId)).toEqual(['DRA012']);
    expect(JSON.parse(run('check', taints, '--format', 'json', '--kubernetes-version', '1.36').stdout).findings).toEqual([]);
    const bad = run('check', taints, '--kubernetes-version', '1.33');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("kubernetesVersion '1.33' must be 1.34 or later");
  });

  test('declared scale and kubelet version make DRA002 and DRA009 run', () => {
    const { code, stdout } = run('check', EXAMPLE_DRIVER, '--format=json', '--min-kubelet-version', '1.32', '--nodes', '100', '--pod-creation-qps', '10');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.findings.map((f: any) => `${f.ruleId} ${f.severity}`)).toEqual(['DRA014 warning', 'DRA002 error', 'DRA004 warning', 'DRA011 warning']);
    expect(report.notes).toEqual([expect.stringMatching(/^DRA009: no kube-controller-manager settings in the input/)]);
  });
});

describe('cdk8s-dra check on other inputs', () => {
  const wildcardRole = [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata:',
    '  name: everything',
    'rules:',
    '- apiGroups: ["*"]',
    '  resources: ["*"]',
    '  verbs: ["*"]',
    '',
  ].join('\n');

  test('exits 1 on an error-level finding', () => {
    const dir = tmpFiles({ 'role.yaml': wildcardRole });
    const { code, stdout } = run('check', dir);
    expect(code).toBe(1);
    expect(stdout).toContain(`ClusterRole everything  (${path.join(dir, 'role.yaml')}:1)\n  error   DRA007  rules[0] uses * in apiGroups, resources, verbs`);
    expect(stdout.trimEnd().split('\n').pop()).toBe('1 error, 0 warnings in 1 object');
  });

  test('reports invalid YAML with document and line, and unreadable paths, and still checks the other files', () => {
    const dir = tmpFiles({
      'a-broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: ConfigMap\ndata: [unclosed\nmetadata: {}\n',
      'b-values.yaml': 'replicaCount: 2\n', // valid YAML, not an object: skipped with a note, not an error
      'c-role.yml': wildcardRole,
      'notes.txt': 'not read: not a manifest extension',
    });
    const missing = path.join(dir, 'missing.yaml');
    const { code, stdout, stderr } = run('check', dir, missing, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.inputErrors).toEqual([
      `${path.join(dir, 'a-broken.yaml')}: document 2: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 8, column 1`,
      `${missing}: cannot read (ENOENT)`,
    ]);
    expect(report.notes[0]).toBe(`${path.join(dir, 'b-values.yaml')}: document 1 (line 1): not a Kubernetes object (no apiVersion and kind): skipped`);
    expect(report.objectCount).toBe(2);
    expect(report.findings.map((f: any) => f.ruleId)).toEqual(['DRA007']);
    expect(stderr).toBe('');
    expect(run('check', dir, missing).stderr).toContain(`cdk8s-dra: ${missing}: cannot read (ENOENT)\n`);
  });

  test('documents that are not Kubernetes objects do not fail the check', () => {
    const dir = tmpFiles({ 'values.yaml': 'replicaCount: 2\nkube-scheduler-extra-mount: [/a:/a]\n' });
    const { code, stdout } = run('check', dir);
    expect(code).toBe(0);
    expect(stdout).toContain('values.yaml: document 1 (line 1): not a Kubernetes object (no apiVersion and kind): skipped');
  });

  test('k3s config files are read, not skipped: their findings name the file', () => {
    const dir = tmpFiles({ 'config.yaml': 'kube-controller-manager-arg: [kube-api-qps=100]\n' });
    const { code, stdout } = run('check', dir, '--nodes', '100', '--pod-creation-qps', '10');
    expect(code).toBe(1);
    expect(stdout.split('\n').slice(0, 2)).toEqual([
      `k3s/RKE2 config config.yaml  (${path.join(dir, 'config.yaml')}:1)`,
      '  error   DRA009  kube-controller-manager client QPS/burst 100/30 (kube-controller-manager-arg) is below 100/150, '
        + 'the sizing model\'s recommendation for 100 nodes at 10 pods/s',
    ]);
    expect(stdout).not.toContain('skipped');
  });

  test('expands List objects (kubectl get -o yaml)', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${wildcardRole.split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n')}`;
    const dir = tmpFiles({ 'list.yaml': list });
    expect(JSON.parse(run('check', dir, '--format', 'json').stdout).findings.map((f: any) => `${f.ruleId} ${f.object.name}`)).toEqual(['DRA007 everything']);
  });

  test('reads JSON arrays of objects (Testing.synth output), and says which item is not an object', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'a' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }] };
    const dir = tmpFiles({ 'objects.json': JSON.stringify([role, { hello: 'world' }]) });
    const report = JSON.parse(run('check', dir, '--format', 'json').stdout);
    expect(report.findings.map((f: any) => `${f.ruleId} ${f.object.name}`)).toEqual(['DRA007 r']);
    expect(report.notes[0]).toBe(`${path.join(dir, 'objects.json')}: document 1 (line 1), item 2: not a Kubernetes object (no apiVersion and kind): skipped`);
  });

  test('admins declared with --admin may write DeviceClasses', () => {
    const dir = tmpFiles({
      'rbac.yaml': [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRole',
        'metadata: {name: classes}',
        'rules: [{apiGroups: [resource.k8s.io], resources: [deviceclasses], verbs: [create]}]',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata: {name: classes}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: classes}',
        'subjects: [{kind: Group, name: platform, apiGroup: rbac.authorization.k8s.io}]',
      ].join('\n'),
    });
    expect(run('check', dir).code).toBe(1);
    expect(run('check', dir, '--admin', 'Group:platform').code).toBe(0);
  });
});

describe('cdk8s-dra plan', () => {
  test('prints the sizing table and the model\'s rationale', () => {
    const { code, stdout } = run('plan', '--nodes', '100', '--pod-creation-qps', '10');
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 5)).toEqual([
      'component                setting                                              value',
      'kube-controller-manager  --kube-api-qps                                       100',
      'kube-controller-manager  --kube-api-burst                                     150',
      'kube-scheduler           clientConnection.qps (KubeSchedulerConfiguration)    100',
      'kube-scheduler           clientConnection.burst (KubeSchedulerConfiguration)  100',
    ]);
    expect(stdout).toContain('ClusterScale: 100 nodes, 10 pods/s created');
  });

  test('--claims-per-pod and --format json', () => {
    const { stdout } = run('plan', '--nodes', '500', '--pod-creation-qps', '20', '--claims-per-pod', '2', '--format', 'json');
    const plan = JSON.parse(stdout);
    expect(plan.scale).toEqual({ nodes: 500, podCreationQps: 20, claimsPerPod: 2 });
    expect(plan.recommendation).toMatchObject({ controllerManagerQps: 500, controllerManagerBurst: 500, schedulerQps: 500, schedulerBurst: 500 });
  });
});

describe('usage', () => {
  test.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['check'], 'check needs at least one file or directory, or --cluster'],
    [['check', '.', '--colour'], 'unknown option --colour'],
    [['check', '.', '--format', 'xml'], "--format must be text or json, not 'xml'"],
    [['check', '.', '--nodes', '100'], '--nodes and --pod-creation-qps go together'],
    [['check', '.', '--claims-per-pod', '2'], '--claims-per-pod needs --nodes and --pod-creation-qps'],
    [['check', '.', '--min-kubelet-version', 'new'], "DraGoodPractices: minKubeletVersion 'new' must be a Kubernetes version such as 1.33 or v1.34.2"],
    [['plan', '--nodes', 'many', '--pod-creation-qps', '1'], "--nodes must be a decimal number, not 'many'"],
    [['plan', '--nodes', '10'], '--nodes and --pod-creation-qps go together'],
    [['plan', '--nodes', '-1', '--pod-creation-qps', '1'], 'ClusterScale: nodes -1 must be a positive finite number'],
    [['plan', '--nodes'], '--nodes needs a value'],
    [['plan', '--nodes', '1', '--nodes', '2', '--pod-creation-qps', '1'], '--nodes given twice'],
  ])('%j exits 2 with a message', (argv, message) => {
    const { code, stderr } = run(...argv);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`cdk8s-dra: ${message}`);
    expect(stderr).toContain('Usage:');
  });

  test('help and rules', () => {
    expect(run('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('cdk8s-dra check <file-or-dir>...') });
    expect(run().code).toBe(2);
    const rules = JSON.parse(run('rules', '--format', 'json').stdout);
    expect(rules).toHaveLength(18);
    expect(run('rules').stdout).toMatch(/^DRA001 {2}error {4}Driver kubelet plugin without a liveness probe\n {4}why: "Confirm your DRA driver/);
  });
});

describe('the bin entry point', () => {
  test('src/cli/main.ts runs the CLI and sets the exit code', () => {
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(REPO, 'src', 'cli', 'main.ts'), 'plan', '--nodes', '100'], {
      cwd: REPO,
      encoding: 'utf-8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cdk8s-dra: --nodes and --pod-creation-qps go together');
    expect(fs.readFileSync(path.join(REPO, 'src', 'cli', 'main.ts'), 'utf-8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});

describe('cdk8s-dra check options for vendor YAML', () => {
  test('--namespace gives objects without one the namespace they are installed to', () => {
    const objects = [
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata: {name: plugin}',
      'spec:',
      '  selector: {matchLabels: {app: plugin}}',
      '  template:',
      '    metadata: {labels: {app: plugin}, annotations: {cluster-autoscaler.kubernetes.io/enable-ds-eviction: "false"}}',
      '    spec:',
      '      serviceAccountName: plugin',
      '      priorityClassName: system-node-critical',
      '      tolerations: [{operator: Exists}]',
      '      containers:',
      '      - name: plugin',
      '        image: driver:v1',
      '        livenessProbe: {grpc: {port: 51515}}',
      '        volumeMounts: [{name: registry, mountPath: /var/lib/kubelet/plugins_registry}]',
      '      volumes: [{name: registry, hostPath: {path: /var/lib/kubelet/plugins_registry}}]',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRole',
      'metadata: {name: plugin}',
      'rules: [{apiGroups: [resource.k8s.io], resources: [resourceslices], verbs: [create]}]',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRoleBinding',
      'metadata: {name: plugin}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: plugin}',
      'subjects: [{kind: ServiceAccount, name: plugin, namespace: gpu}]',
    ].join('\n');
    const dir = tmpFiles({ 'driver.yaml': objects });
    const ruleIds = (...args: string[]) => JSON.parse(run('check', dir, '--format', 'json', ...args).stdout).findings.map((f: any) => f.ruleId);
    expect(ruleIds()).toEqual(['DRA011', 'DRA005']);
    expect(ruleIds('--namespace', 'gpu')).toEqual(['DRA011', 'DRA008']);
  });
});

describe('cdk8s-dra check on the node files DraTunedControlPlane writes', () => {
  const scale = { nodes: 40, podCreationQps: 5, claimsPerPod: 2 };
  const scaleArgs = ['--nodes', '40', '--pod-creation-qps', '5', '--claims-per-pod', '2'];

  /** Writes the target's files (as `writeFiles` does) and checks them with the same scale; the DRA009/DRA010 part of the report. */
  function checkWritten(target: ControlPlaneTarget, controllerManager?: ClientRateLimit) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cli-nodes-'));
    new DraTunedControlPlane(Testing.chart(), 'tuning', { target, scale, controllerManager }).writeFiles(dir);
    const report = JSON.parse(run('check', dir, '--format', 'json', ...scaleArgs).stdout);
    fs.rmSync(dir, { recursive: true, force: true });
    return {
      findings: report.findings.filter((f: any) => ['DRA009', 'DRA010'].includes(f.ruleId))
        .map((f: any) => `${f.ruleId} ${f.object.kind} ${f.object.name} ${path.relative(dir, f.object.location)}`),
      notes: report.notes,
      objectCount: report.objectCount,
    };
  }

  test.each([
    [ControlPlaneTarget.K3S, 'k3s config 90-cdk8s-dra-control-plane.yaml etc/rancher/k3s/config.yaml.d/90-cdk8s-dra-control-plane.yaml:2'],
    [ControlPlaneTarget.RKE2, 'RKE2 config 90-cdk8s-dra-control-plane.yaml etc/rancher/rke2/config.yaml.d/90-cdk8s-dra-control-plane.yaml:2'],
    [ControlPlaneTarget.TALOS, 'Talos machine config controlplane-patch.yaml talos/controlplane-patch.yaml:2'],
  ])('%s: the tuned files pass at their scale; explicit too-low values are a DRA009 finding on the file', (target, where) => {
    const tuned = checkWritten(target);
    expect(tuned.findings).toEqual([]);
    expect(tuned.notes).toEqual([]);
    expect(tuned.objectCount).toBeGreaterThan(0);
    expect(checkWritten(target, { qps: 30, burst: 60 }).findings).toEqual([`DRA009 ${where}`]);
  });
});
