// Property tests: random valid props synthesize schema-valid, deterministic objects; random
// invalid props stop synthesis with an error that names the construct and the prop.
import { Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PercentOrAbsolute } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import {
  ClusterScale, ControlPlaneTarget, DraCluster, DraDriver, DraDriverProps, DraMonitoring, DraMonitoringProps, DraRbac, DraRbacProps,
  DraTunedControlPlane,
  DriverUpgrade, PluginSecurityMode,
} from '../src';
import { nodeFileShape, registerControlPlaneKinds, shapeErrors } from './control-plane/upstream-types';
import { expectValidObjects } from './support/harness';

registerControlPlaneKinds();

const RUNS = 25;
const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const subdomain = fc.tuple(label, label, fc.constantFrom('com', 'io', 'example')).map(parts => parts.join('.'));
const uniqueLabels = (max: number) => fc.uniqueArray(label, { maxLength: max });

const driverProps: fc.Arbitrary<DraDriverProps> = fc.record({
  driverName: subdomain,
  image: fc.tuple(label, fc.stringMatching(/^v[0-9]\.[0-9]{1,2}\.[0-9]$/)).map(([repo, tag]) => `registry.example.com/${repo}:${tag}`),
  namespace: label,
  healthcheckPort: fc.integer({ min: 1024, max: 50000 }),
  metricsPort: fc.option(fc.integer({ min: 50001, max: 65535 }), { nil: undefined }),
  seamless: fc.boolean(),
  minor: fc.integer({ min: 33, max: 36 }),
  maxUnavailable: fc.oneof(
    fc.integer({ min: 1, max: 5 }).map(PercentOrAbsolute.absolute),
    fc.integer({ min: 1, max: 100 }).map(PercentOrAbsolute.percent),
  ),
  unprivileged: fc.boolean(),
  extraClasses: uniqueLabels(3),
}).map(p => ({
  driverName: p.driverName,
  image: p.image,
  namespace: p.namespace,
  healthcheckPort: p.healthcheckPort,
  metricsPort: p.metricsPort,
  upgrade: p.seamless ? DriverUpgrade.seamless() : DriverUpgrade.rollingUpdate({ maxUnavailable: p.maxUnavailable }),
  minKubeletVersion: `1.${p.minor}`,
  securityMode: p.unprivileged ? PluginSecurityMode.UNPRIVILEGED : PluginSecurityMode.PRIVILEGED,
  deviceClasses: [{ name: p.driverName }, ...p.extraClasses.map(name => ({ name: `${name}.${p.driverName}` }))],
}));

const rbacInput = fc.record({
  admins: fc.uniqueArray(label, { minLength: 1, maxLength: 3 }),
  viewers: fc.option(fc.uniqueArray(label, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  workload: uniqueLabels(4),
  adminAccess: uniqueLabels(2),
  aggregate: fc.boolean(),
});

const monitoringProps: fc.Arbitrary<DraMonitoringProps> = fc.record({
  runbookBaseUrl: fc.constantFrom('https://runbooks.example.com/dra.md', 'http://wiki.internal/dra/runbooks'),
  ruleLabels: fc.dictionary(label, label, { maxKeys: 2 }),
  clusterLabel: fc.option(fc.constantFrom('cluster', 'k8s_cluster'), { nil: undefined }),
  alertFor: fc.constantFrom('5m', '10m', '15m', '1h'),
  thresholds: fc.record({
    schedulerEndToEndSeconds: fc.double({ min: 0.01, max: 600, noNaN: true }),
    resourceClaimQueueDepth: fc.integer({ min: 1, max: 10000 }),
    pluginGrpcErrorRatio: fc.double({ min: 0.001, max: 1, noNaN: true }),
  }),
  controllerManagerSelector: fc.constantFrom<{ [label: string]: string }>({ job: 'kube-controller-manager' }, { endpoint: 'kube-controller-manager' }),
});

const scale = fc.record({
  nodes: fc.integer({ min: 1, max: 5000 }),
  podCreationQps: fc.double({ min: 0.1, max: 50, noNaN: true }),
  claimsPerPod: fc.integer({ min: 1, max: 8 }),
});

/** Synthesizes what `build` makes in a fresh chart, as YAML text and objects. */
function synth(build: (chart: Chart) => void): { yaml: string; objects: any[] } {
  const chart = new Chart(Testing.app(), 'test');
  build(chart);
  const objects = Testing.synth(chart);
  return { yaml: Yaml.stringify(...objects), objects };
}

/**
 * Checks that every sample synthesizes byte-identically twice, and validates all objects of
 * all samples against the official schema in one batch (one validator process, not one per run).
 */
function expectValidAndDeterministic<T>(arbitrary: fc.Arbitrary<T>, build: (chart: Chart, props: T) => void): void {
  const objects: any[] = [];
  fc.assert(fc.property(arbitrary, props => {
    const first = synth(chart => build(chart, props));
    const second = synth(chart => build(chart, props));
    expect(second.yaml).toBe(first.yaml);
    objects.push(...first.objects);
  }), { numRuns: RUNS, seed: 20261127 });
  expect(objects.length).toBeGreaterThan(0);
  expectValidObjects(objects);
}

type RbacInput = typeof rbacInput extends fc.Arbitrary<infer T> ? T : never;

function buildRbac(chart: Chart, input: RbacInput): void {
  new DraRbac(chart, 'rbac', rbacProps(chart, input));
}

function rbacProps(chart: Chart, input: RbacInput): DraRbacProps {
  return {
    admins: input.admins.map(name => kplus.Group.fromName(chart, `admin-${name}`, name)),
    viewers: input.viewers?.map(name => kplus.Group.fromName(chart, `viewer-${name}`, name)),
    workloadNamespaces: input.workload.map(namespace => ({ namespace, operators: [kplus.Group.fromName(chart, `ops-${namespace}`, `${namespace}-ops`)] })),
    adminAccessNamespaces: input.adminAccess.filter(ns => !input.workload.includes(ns)),
    aggregateToBuiltInRoles: input.aggregate,
  };
}

describe('random valid props synthesize schema-valid, byte-identical objects', () => {
  test('DraDriver', () => {
    expectValidAndDeterministic(driverProps, (chart, props) => new DraDriver(chart, 'driver', props));
  });

  test('DraRbac', () => {
    expectValidAndDeterministic(rbacInput, buildRbac);
  });

  test('DraMonitoring with drivers', () => {
    expectValidAndDeterministic(fc.tuple(monitoringProps, driverProps), (chart, [props, driver]) => {
      const gpu = new DraDriver(chart, 'driver', driver);
      new DraMonitoring(chart, 'monitoring', { ...props, drivers: [gpu] });
    });
  });

  test('DraCluster', () => {
    const clusterInput = fc.record({
      drivers: fc.uniqueArray(driverProps, { minLength: 1, maxLength: 3, selector: d => d.driverName }),
      rbac: rbacInput,
      monitoring: monitoringProps,
      scale,
    });
    expectValidAndDeterministic(clusterInput, (chart, input) => {
      const driverNamespaces = new Set(input.drivers.map(d => d.namespace));
      const rbac = { ...input.rbac, adminAccess: input.rbac.adminAccess.filter(ns => !driverNamespaces.has(ns)) };
      new DraCluster(chart, 'cluster', {
        drivers: input.drivers,
        scale: input.scale,
        monitoring: input.monitoring,
        rbac: rbacProps(chart, rbac),
        controlPlane: { target: ControlPlaneTarget.CLUSTER_API, objectName: 'cluster-1', namespace: 'capi' },
        // The checks need an App-level synth; here the objects themselves are under test.
        goodPractices: false,
      });
    });
  });

  test('DraTunedControlPlane', () => {
    const targets = [ControlPlaneTarget.KUBEADM, ControlPlaneTarget.CLUSTER_API, ControlPlaneTarget.CLUSTER_API_V1BETA1, ControlPlaneTarget.KOPS];
    expectValidAndDeterministic(fc.tuple(scale, fc.constantFrom(...targets)), (chart, [s, target]) => {
      new DraTunedControlPlane(chart, 'cp', {
        target,
        scale: s,
        objectName: target === ControlPlaneTarget.KUBEADM ? undefined : 'cluster-1',
      });
    });
  });
});

describe('random scales give well-formed, deterministic node files for every file-writing target', () => {
  const targets = [
    ControlPlaneTarget.K3S, ControlPlaneTarget.RKE2, ControlPlaneTarget.TALOS, ControlPlaneTarget.KUBEADM_PATCHES, ControlPlaneTarget.FLAGS,
  ];
  const build = (s: ClusterScale, target: ControlPlaneTarget) => new DraTunedControlPlane(new Chart(Testing.app(), 'test'), 'cp', {
    target,
    scale: s,
    schedulerKubeconfigPath: target === ControlPlaneTarget.FLAGS ? '/etc/kubernetes/scheduler.conf' : undefined,
  });

  test('DraTunedControlPlane files()', () => {
    fc.assert(fc.property(scale, fc.constantFrom(...targets), (s, target) => {
      const files = build(s, target).files();
      expect(build(s, target).files()).toEqual(files);
      for (const [file, text] of Object.entries(files)) {
        if (file.endsWith('.args')) {
          expect(text.trim().split('\n').every(line => /^--[a-z-]+=\S+$/.test(line))).toBe(true);
          continue;
        }
        const shape = nodeFileShape(file);
        expect({ file, known: shape !== undefined }).toEqual({ file, known: true });
        expect({ file, errors: shapeErrors(parse(text), shape!) }).toEqual({ file, errors: [] });
      }
    }), { numRuns: RUNS, seed: 20261127 });
  });
});

/** An invalid input: which construct, which prop, and how to build it. */
interface InvalidCase {
  readonly construct: string;
  readonly prop: string;
  readonly build: (chart: Chart) => void;
}

const invalidCases: fc.Arbitrary<InvalidCase> = fc.oneof(
  fc.tuple(driverProps, fc.constantFrom('GPU_1', 'gpu..example.com', '-gpu.example.com', 'a'.repeat(254))).map(([props, driverName]) => ({
    construct: 'DraDriver', prop: 'driverName', build: (chart: Chart) => new DraDriver(chart, 'driver', { ...props, driverName }),
  })),
  fc.tuple(driverProps, fc.constantFrom(0, -1, 65536, 1.5, Number.NaN)).map(([props, healthcheckPort]) => ({
    construct: 'DraDriver', prop: 'healthcheckPort', build: (chart: Chart) => new DraDriver(chart, 'driver', { ...props, healthcheckPort }),
  })),
  fc.tuple(driverProps, fc.constantFrom('1.30', '1.31', '1.32')).map(([props, minKubeletVersion]) => ({
    construct: 'DraDriver', prop: 'upgrade', build: (chart: Chart) => new DraDriver(chart, 'driver', { ...props, upgrade: DriverUpgrade.seamless(), minKubeletVersion }),
  })),
  fc.tuple(driverProps, fc.constantFrom('device.driver ==', 'device.attributes[', '"unterminated')).map(([props, selector]) => ({
    construct: 'DraDriver', prop: 'deviceClasses', build: (chart: Chart) => new DraDriver(chart, 'driver', { ...props, deviceClasses: [{ name: 'x.example.com', selectors: [selector] }] }),
  })),
  fc.tuple(driverProps, fc.constantFrom('Team_A', 'UPPER', '-x', 'a'.repeat(64))).map(([props, namespace]) => ({
    construct: 'DraDriver', prop: 'namespace', build: (chart: Chart) => new DraDriver(chart, 'driver', { ...props, namespace }),
  })),
  fc.tuple(rbacInput, fc.constantFrom('Team_A', 'a'.repeat(64), 'ns.with.dots')).map(([input, bad]) => ({
    construct: 'DraRbac', prop: 'workloadNamespaces', build: (chart: Chart) => buildRbac(chart, { ...input, workload: [...input.workload.filter(n => n !== bad), bad] }),
  })),
  fc.tuple(rbacInput, fc.constantFrom('GPU', 'gpu_debug')).map(([input, bad]) => ({
    construct: 'DraRbac', prop: 'adminAccessNamespaces', build: (chart: Chart) => buildRbac(chart, { ...input, workload: [], adminAccess: [bad] }),
  })),
  fc.tuple(monitoringProps, fc.constantFrom('5 minutes', '15', 'm5', '-5m')).map(([props, alertFor]) => ({
    construct: 'DraMonitoring', prop: 'alertFor', build: (chart: Chart) => new DraMonitoring(chart, 'monitoring', { ...props, alertFor }),
  })),
  fc.tuple(monitoringProps, fc.constantFrom(0, -1, Number.POSITIVE_INFINITY, Number.NaN)).map(([props, depth]) => ({
    construct: 'DraMonitoring', prop: 'resourceClaimQueueDepth', build: (chart: Chart) => new DraMonitoring(chart, 'monitoring', { ...props, thresholds: { resourceClaimQueueDepth: depth } }),
  })),
  fc.tuple(monitoringProps, fc.constantFrom('kube"-scheduler', 'a\\b', 'x}')).map(([props, job]) => ({
    construct: 'DraMonitoring', prop: 'schedulerSelector', build: (chart: Chart) => new DraMonitoring(chart, 'monitoring', { ...props, schedulerSelector: { job } }),
  })),
  fc.tuple(driverProps).map(([driver]) => ({
    construct: 'DraCluster', prop: 'drivers', build: (chart: Chart) => new DraCluster(chart, 'cluster', { drivers: [driver, driver], goodPractices: false }),
  })),
  fc.tuple(scale, fc.constantFrom(0, -5, Number.NaN, Number.POSITIVE_INFINITY)).map(([s, nodes]) => ({
    construct: 'DraTunedControlPlane', prop: 'nodes', build: (chart: Chart) => new DraTunedControlPlane(chart, 'cp', { target: ControlPlaneTarget.KUBEADM, scale: { ...s, nodes } }),
  })),
  fc.tuple(fc.integer({ min: 2, max: 500 })).map(([qps]) => ({
    construct: 'DraTunedControlPlane', prop: 'burst', build: (chart: Chart) => new DraTunedControlPlane(chart, 'cp', { target: ControlPlaneTarget.KUBEADM, controllerManager: { qps, burst: qps - 1 }, scheduler: { qps: 100, burst: 100 } }),
  })),
);

describe('random invalid props stop synthesis with an error that names the construct and the prop', () => {
  test('every invalid input is refused by our validation, before anything is synthesized', () => {
    fc.assert(fc.property(invalidCases, c => {
      const app = Testing.app();
      const chart = new Chart(app, 'test');
      let message = '';
      try {
        c.build(chart);
      } catch (err) {
        message = (err as Error).message;
      }
      // Our messages open with the construct (class, id, path) or, for the pure sizing model, the input type.
      expect(message).toMatch(new RegExp(`^(${c.construct} '|ClusterScale: )`));
      expect(message).toContain(c.prop);
    }), { numRuns: 150, seed: 20261127 });
  });
});
