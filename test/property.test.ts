// Property tests: random valid props synthesize schema-valid, deterministic objects; random
// invalid props stop synthesis with an error that names the construct and the prop.
import { Chart, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { ClusterScale, ControlPlaneTarget, DraCluster, DraDriver, DraMonitoring, DraTunedControlPlane, DriverProbe, DriverUpgrade } from '../src';
import { nodeFileShape, registerControlPlaneKinds, shapeErrors } from './control-plane/upstream-types';
import { expectValidObjects } from './support/harness';
import { buildRbac, driverProps, monitoringProps, rbacInput, scale, VALID_CONSTRUCTS } from './support/valid-props';

registerControlPlaneKinds();

const RUNS = 25;
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

describe('random valid props synthesize schema-valid, byte-identical objects', () => {
  test.each(VALID_CONSTRUCTS.map(c => [c.name, c] as const))('%s', (_name, construct) => {
    expectValidAndDeterministic(construct.arbitrary, construct.build);
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
  fc.tuple(driverProps, fc.constantFrom(0, -1, 65536, 1.5, Number.NaN)).map(([props, port]) => ({
    construct: 'DraDriver', prop: 'probe.port', build: (chart: Chart) => new DraDriver(chart, 'driver', { ...props, probe: DriverProbe.grpc({ port }) }),
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
