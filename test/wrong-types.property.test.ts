// Property tests: every prop of every construct, given a value of the wrong JavaScript type
// (as a JavaScript caller, or a TypeScript one casting, can), is refused with a
// DraValidationError that names that prop; every required prop left out likewise. The props
// come from the schemas the constructs check (src/**/*-prop-types.ts), and the test fails
// when a schema gains a prop this table does not cover.
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  ControlPlaneSizing, ControlPlaneTarget, DeviceTaintEffect, DraCluster, DraDeviceTaint, DraDriver, DraGoodPractices, DraGoodPracticesAdmission,
  DraMonitoring, DraRbac, DraTunedControlPlane, DraValidationError,
} from '../src';
import { DRA_CLUSTER_PROPS } from '../src/cluster/cluster-prop-types';
import { PropSchema } from '../src/common/prop-types';
import { DRA_TUNED_CONTROL_PLANE_PROPS } from '../src/control-plane/tuned-control-plane-prop-types';
import { DRA_DEVICE_TAINT_PROPS } from '../src/device-taint/device-taint-prop-types';
import { DRA_DRIVER_PROPS } from '../src/driver/driver-prop-types';
import { DRA_GOOD_PRACTICES_ADMISSION_PROPS } from '../src/good-practices/admission/admission-prop-types';
import { DRA_MONITORING_PROPS } from '../src/monitoring/monitoring-prop-types';
import { DRA_RBAC_PROPS } from '../src/rbac/rbac-prop-types';

const RUNS = 30;

/** What a prop holds; a wrong value is anything else. */
type Kind = 'string' | 'number' | 'boolean' | 'list' | 'object' | 'instance' | 'enum';

const circular = (): object => {
  const value: any = { a: 1 };
  value.self = value;
  return value;
};

/** Values of every JavaScript type, hostile ones included. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.bigInt(),
  fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 2 }), fc.func(fc.anything()),
  fc.constant(Symbol('s')), fc.constant(circular()), fc.constant(new Date(0)), fc.constant(NaN),
);

const isRecord = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Values that are not of `kind` (for an enum, no string passes either: fast-check never hits a member). */
function wrongFor(kind: Kind): fc.Arbitrary<unknown> {
  const right: { [K in Kind]: (v: unknown) => boolean } = {
    string: v => typeof v === 'string',
    number: v => typeof v === 'number',
    boolean: v => typeof v === 'boolean',
    list: v => Array.isArray(v),
    object: v => isRecord(v),
    instance: () => false,
    enum: () => false,
  };
  return anyValue.filter(v => v !== undefined && !right[kind](v));
}

interface Subject {
  readonly name: string;
  readonly schema: PropSchema;
  readonly kinds: { [prop: string]: Kind };
  /** Builds it with valid props overridden by `props`. */
  readonly build: (props: { [prop: string]: unknown }) => unknown;
  /** Builds it with exactly `props`, whatever they are. */
  readonly buildWith: (props: unknown) => unknown;
}

const subjects: Subject[] = [
  {
    name: 'DraDriver',
    schema: DRA_DRIVER_PROPS.fields(),
    kinds: {
      driverName: 'string',
      image: 'string',
      name: 'string',
      namespace: 'string',
      createNamespace: 'boolean',
      probe: 'instance',
      upgrade: 'instance',
      minKubeletVersion: 'string',
      kubernetesVersion: 'string',
      extendedResourceGateEnabled: 'boolean',
      kubeletRootDir: 'string',
      cdiDir: 'string',
      securityMode: 'enum',
      securityContext: 'instance',
      priorityClassName: 'string',
      priorityClassPodQuota: 'number',
      resources: 'object',
      terminationGracePeriodSeconds: 'number',
      drainLateTolerations: 'boolean',
      nodeSelector: 'object',
      tolerations: 'list',
      affinity: 'object',
      command: 'list',
      args: 'list',
      env: 'list',
      imagePullPolicy: 'enum',
      containerName: 'string',
      volumes: 'list',
      volumeMounts: 'list',
      hostNetwork: 'boolean',
      hostNetworkPortsShared: 'boolean',
      hostPID: 'boolean',
      initContainers: 'list',
      containers: 'list',
      podSecurityContext: 'object',
      imagePullSecrets: 'list',
      podLabels: 'object',
      podAnnotations: 'object',
      writesDeviceStatus: 'boolean',
      writesDeviceTaintRules: 'boolean',
      pluginClusterRules: 'list',
      pluginNamespaceRules: 'list',
      controller: 'object',
      deviceClasses: 'list',
      extraObjects: 'list',
      metricsPort: 'number',
      serviceMonitor: 'boolean',
      serviceMonitorLabels: 'object',
    },
    build: props => new DraDriver(Testing.chart(), 'gpu', { driverName: 'gpu.example.com', image: 'registry.example.com/gpu:v1', ...props } as any),
    buildWith: props => new DraDriver(Testing.chart(), 'gpu', props as any),
  },
  {
    name: 'DraRbac',
    schema: DRA_RBAC_PROPS.fields(),
    kinds: {
      admins: 'list',
      viewers: 'list',
      auditors: 'list',
      workloadNamespaces: 'list',
      aggregateToBuiltInRoles: 'boolean',
      adminAccessNamespaces: 'list',
      drivers: 'list',
      namePrefix: 'string',
    },
    build: props => {
      const chart = Testing.chart();
      return new DraRbac(chart, 'rbac', { admins: [kplus.Group.fromName(chart, 'g', 'platform')], ...props } as any);
    },
    buildWith: props => new DraRbac(Testing.chart(), 'rbac', props as any),
  },
  {
    name: 'DraTunedControlPlane',
    schema: DRA_TUNED_CONTROL_PLANE_PROPS.fields(),
    kinds: {
      target: 'enum',
      scale: 'object',
      controllerManager: 'object',
      scheduler: 'object',
      concurrentResourceClaimSyncs: 'number',
      kubernetesVersion: 'string',
      objectName: 'string',
      namespace: 'string',
      schedulerConfigPath: 'string',
      schedulerKubeconfigPath: 'string',
    },
    build: props => new DraTunedControlPlane(Testing.chart(), 'cp', { target: ControlPlaneTarget.KUBEADM, scale: { nodes: 100, podCreationQps: 10 }, ...props } as any),
    buildWith: props => new DraTunedControlPlane(Testing.chart(), 'cp', props as any),
  },
  {
    name: 'DraMonitoring',
    schema: DRA_MONITORING_PROPS.fields(),
    kinds: {
      drivers: 'list',
      name: 'string',
      namespace: 'string',
      ruleLabels: 'object',
      scrapeLabels: 'object',
      runbookBaseUrl: 'string',
      controllerManagerSelector: 'object',
      schedulerSelector: 'object',
      kubeletSelector: 'object',
      kubeStateMetricsSelector: 'object',
      clusterLabel: 'string',
      thresholds: 'object',
      alertFor: 'string',
      ruleFormat: 'enum',
      dashboard: 'boolean',
      controlPlaneTarget: 'enum',
    },
    build: props => new DraMonitoring(Testing.chart(), 'monitoring', { runbookBaseUrl: 'https://git.example.com/runbooks.md', ...props } as any),
    buildWith: props => new DraMonitoring(Testing.chart(), 'monitoring', props as any),
  },
  {
    name: 'DraGoodPracticesAdmission',
    schema: DRA_GOOD_PRACTICES_ADMISSION_PROPS.fields(),
    kinds: { rules: 'list', denyRules: 'list', denyAll: 'boolean', registrationDirs: 'list', namePrefix: 'string' },
    build: props => new DraGoodPracticesAdmission(Testing.chart(), 'admission', props as any),
    // undefined is the default ({}): only other non-objects are wrong.
    buildWith: props => new DraGoodPracticesAdmission(Testing.chart(), 'admission', props as any),
  },
  {
    name: 'DraCluster',
    schema: DRA_CLUSTER_PROPS.fields(),
    kinds: {
      drivers: 'list',
      minKubeletVersion: 'string',
      kubernetesVersion: 'string',
      scale: 'object',
      rbac: 'object',
      controlPlane: 'object',
      monitoring: 'object',
      goodPractices: 'boolean',
      admission: 'object',
    },
    build: props => new DraCluster(new Chart(new App(), 'chart'), 'cluster', props as any),
    // undefined is DraCluster's default ({}): only other non-objects are wrong.
    buildWith: props => new DraCluster(new Chart(new App(), 'chart'), 'cluster', props as any),
  },
  {
    name: 'DraDeviceTaint',
    schema: DRA_DEVICE_TAINT_PROPS.fields(),
    kinds: {
      kubernetesVersion: 'string', driver: 'string', pool: 'string', device: 'string', effect: 'enum', key: 'string', reason: 'string', name: 'string',
    },
    build: props => new DraDeviceTaint(Testing.chart(), 'drain', {
      kubernetesVersion: '1.37', driver: 'gpu.example.com', effect: DeviceTaintEffect.NO_EXECUTE, ...props as object,
    } as any),
    buildWith: props => new DraDeviceTaint(Testing.chart(), 'drain', props as any),
  },
];

/** Whether the error names `prop` (or a part of it: `resources.limits`, `deviceClasses[0]`). */
function namesProp(error: DraValidationError, prop: string): boolean {
  return error.prop === prop || error.prop.startsWith(`${prop}.`) || error.prop.startsWith(`${prop}[`);
}

function refusedNaming(build: () => unknown, prop: string): boolean {
  try {
    build();
  } catch (e) {
    if (!(e instanceof DraValidationError)) {
      throw new Error(`${prop}: expected a DraValidationError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    }
    if (!namesProp(e, prop)) {
      throw new Error(`${prop}: the error names ${e.prop}: ${e.message}`);
    }
    return true;
  }
  return false;
}

describe.each(subjects)('$name', subject => {
  test('the table covers every prop of the schema the construct checks', () => {
    expect(Object.keys(subject.kinds).sort()).toEqual(Object.keys(subject.schema).sort());
  });

  test.each(Object.keys(subject.kinds))('%s of a wrong type is refused naming it', prop => {
    fc.assert(fc.property(wrongFor(subject.kinds[prop]), value => refusedNaming(() => subject.build({ [prop]: value }), prop)), { numRuns: RUNS });
  });

  const required = Object.entries(subject.schema).filter(([, spec]) => spec.required).map(([prop]) => prop);
  test.each(required.length > 0 ? required : ['(none)'])('%s left out is refused naming it', prop => {
    if (prop === '(none)') return;
    expect(refusedNaming(() => subject.build({ [prop]: undefined }), prop)).toBe(true);
  });

  test('props that are no object are refused as props', () => {
    fc.assert(fc.property(anyValue.filter(v => !isRecord(v) && v !== undefined), value => refusedNaming(() => subject.buildWith(value), 'props')), { numRuns: RUNS });
  });
});

describe('options and scales outside constructs', () => {
  const optionKinds: { [option: string]: Kind } = {
    scale: 'object', minKubeletVersion: 'string', adminSubjects: 'list', driverServiceAccounts: 'list', defaultNamespace: 'string', registrationDirs: 'list',
  };

  test.each(Object.keys(optionKinds))('GoodPracticesOptions.%s of a wrong type is refused naming it', option => {
    fc.assert(fc.property(wrongFor(optionKinds[option]), value =>
      refusedNaming(() => DraGoodPractices.checkObjects([], { [option]: value }), option)), { numRuns: RUNS });
  });

  test.each(['nodes', 'podCreationQps', 'claimsPerPod', 'podDeletionQps'])('ClusterScale.%s of a wrong type is refused naming it', field => {
    fc.assert(fc.property(wrongFor('number'), value =>
      refusedNaming(() => ControlPlaneSizing.recommend({ nodes: 100, podCreationQps: 10, [field]: value } as any), field)), { numRuns: RUNS });
  });

  test.each(['nodes', 'podCreationQps', 'claimsPerPod', 'podDeletionQps'])('ClusterScale.%s beyond sense (up to 1e308) is refused, never an Infinity', field => {
    fc.assert(fc.property(fc.double({ min: 1e7, max: 1e308, noNaN: true }), value =>
      refusedNaming(() => ControlPlaneSizing.recommend({ nodes: 100, podCreationQps: 10, [field]: value }), field)), { numRuns: RUNS });
  });
});
