// Every props or options object a user passes refuses names it does not know, as a JavaScript
// caller (or a Python one, whose dicts arrive as plain objects) can pass them: a typo or a
// setting the library does not have must not be ignored without a word.
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ControlPlaneSizing, ControlPlaneTarget, DeviceTaintEffect, DraCluster, DraDeviceTaint, DraDriver, DraGoodPractices, DraGoodPracticesAdmission,
  DraMonitoring, DraRbac, DraRbacRules, DraTunedControlPlane, DriverDrainCheck, DriverProbe, DriverSecurityContext, DriverUpgrade, ResourceSliceGuard,
} from '../src';
import { structSchemas } from './support/prop-schemas';
import { refusal } from './support/refusal';
import { nearestName } from '../src/common/nearest-name';

const DRIVER = { driverName: 'gpu.example.com', image: 'registry.example.com/gpu:v1' };
const RUNBOOKS = 'https://git.example.com/runbooks.md';
const SCALE = { nodes: 100, podCreationQps: 10 };
const admins = (chart: Chart) => [kplus.Group.fromName(chart, 'admins', 'platform-admins')];
const serviceAccount = (chart: Chart) => new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'gpu', namespace: 'gpu' } });

interface Case {
  /** What the error says the input was given to. */
  readonly subject: string;
  /** The refused name, as the error's prop. */
  readonly prop: string;
  /** The rule: which struct, and the nearest known name. */
  readonly rule: string;
  readonly build: () => unknown;
}

/** One misspelt name per struct a user passes, at its place in the input. */
const cases: { [struct: string]: Case } = {
  DraDriverProps: {
    subject: "DraDriver 'gpu' (test/gpu)",
    prop: 'readinessProbe',
    rule: 'is not a prop of DraDriverProps (did you mean probe?)',
    build: () => new DraDriver(Testing.chart(), 'gpu', { ...DRIVER, readinessProbe: { grpc: { port: 51515 } } } as any),
  },
  DriverContainerOptions: {
    subject: "DraDriver 'gpu' (test/gpu)",
    prop: 'containers[0].securityContex',
    rule: 'is not a prop of DriverContainerOptions (did you mean securityContext?)',
    build: () => new DraDriver(Testing.chart(), 'gpu', { ...DRIVER, containers: [{ name: 'side', image: 'side:v1', securityContex: {} }] } as any),
  },
  DraDriverControllerOptions: {
    subject: "DraDriver 'gpu' (test/gpu)",
    prop: 'controller.replica',
    rule: 'is not a prop of DraDriverControllerOptions (did you mean replicas?)',
    build: () => new DraDriver(Testing.chart(), 'gpu', { ...DRIVER, controller: { image: 'ctl:v1', replica: 2 } } as any),
  },
  DraDeviceClassOptions: {
    subject: "DraDriver 'gpu' (test/gpu)",
    prop: 'deviceClasses[0].selector',
    rule: 'is not a prop of DraDeviceClassOptions (did you mean selectors?)',
    build: () => new DraDriver(Testing.chart(), 'gpu', { ...DRIVER, deviceClasses: [{ name: 'gpu.example.com', selector: ['true'] }] } as any),
  },
  DeviceClassOpaqueConfig: {
    subject: "DraDriver 'gpu' (test/gpu)",
    prop: 'deviceClasses[0].config[0].drivers',
    rule: 'is not a prop of DeviceClassOpaqueConfig (did you mean driver?)',
    build: () => new DraDriver(Testing.chart(), 'gpu', {
      ...DRIVER, deviceClasses: [{ name: 'gpu.example.com', config: [{ drivers: 'gpu.example.com', parameters: {} }] }],
    } as any),
  },
  DraRbacProps: {
    subject: "DraRbac 'rbac' (test/rbac)",
    prop: 'admin',
    rule: 'is not a prop of DraRbacProps (did you mean admins?)',
    build: () => {
      const chart = Testing.chart();
      const subjects = admins(chart);
      return new DraRbac(chart, 'rbac', { admins: subjects, admin: subjects } as any);
    },
  },
  WorkloadNamespace: {
    subject: "DraRbac 'rbac' (test/rbac)",
    prop: 'workloadNamespaces[0].operator',
    rule: 'is not a prop of WorkloadNamespace (did you mean operators?)',
    build: () => {
      const chart = Testing.chart();
      return new DraRbac(chart, 'rbac', { admins: admins(chart), workloadNamespaces: [{ namespace: 'ml', operators: [], operator: [] }] } as any);
    },
  },
  DraTunedControlPlaneProps: {
    subject: "DraTunedControlPlane 'cp' (test/cp)",
    prop: 'concurrentResourceClaimSync',
    rule: 'is not a prop of DraTunedControlPlaneProps (did you mean concurrentResourceClaimSyncs?)',
    build: () => new DraTunedControlPlane(Testing.chart(), 'cp', { target: ControlPlaneTarget.KUBEADM, scale: SCALE, concurrentResourceClaimSync: 10 } as any),
  },
  ClientRateLimit: {
    subject: "DraTunedControlPlane 'cp' (test/cp)",
    prop: 'scheduler.brust',
    rule: 'is not a prop of ClientRateLimit (did you mean burst?)',
    build: () => new DraTunedControlPlane(Testing.chart(), 'cp', {
      target: ControlPlaneTarget.KUBEADM, controllerManager: { qps: 100, burst: 200 }, scheduler: { qps: 100, burst: 200, brust: 300 },
    } as any),
  },
  ClusterScale: {
    subject: 'ClusterScale',
    prop: 'podDeletionRate',
    rule: 'is not a prop of ClusterScale (did you mean podDeletionQps?)',
    build: () => ControlPlaneSizing.recommend({ ...SCALE, podDeletionRate: 5 } as any),
  },
  DraMonitoringProps: {
    subject: "DraMonitoring 'monitoring' (test/monitoring)",
    prop: 'runbookUrl',
    rule: 'is not a prop of DraMonitoringProps (did you mean runbookBaseUrl?)',
    build: () => new DraMonitoring(Testing.chart(), 'monitoring', { runbookBaseUrl: RUNBOOKS, runbookUrl: RUNBOOKS } as any),
  },
  DraAlertThresholds: {
    subject: "DraMonitoring 'monitoring' (test/monitoring)",
    prop: 'thresholds.pluginGrpcErrorRate',
    rule: 'is not a prop of DraAlertThresholds (did you mean pluginGrpcErrorRatio?)',
    build: () => new DraMonitoring(Testing.chart(), 'monitoring', { runbookBaseUrl: RUNBOOKS, thresholds: { pluginGrpcErrorRate: 0.1 } } as any),
  },
  GoodPracticesOptions: {
    subject: 'DraGoodPractices of Chart',
    prop: 'admins',
    rule: 'is not a prop of GoodPracticesOptions (did you mean adminSubjects?)',
    build: () => DraGoodPractices.of(new Chart(new App(), 'chart'), { admins: ['Group:platform-admins'] } as any),
  },
  DraGoodPracticesAdmissionProps: {
    subject: "DraGoodPracticesAdmission 'admission' (test/admission)",
    prop: 'denyRule',
    rule: 'is not a prop of DraGoodPracticesAdmissionProps (did you mean denyRules?)',
    build: () => new DraGoodPracticesAdmission(Testing.chart(), 'admission', { denyRule: ['DRA013'] } as any),
  },
  DraClusterProps: {
    subject: "DraCluster 'cluster' (chart/cluster)",
    prop: 'driver',
    rule: 'is not a prop of DraClusterProps (did you mean drivers?)',
    build: () => new DraCluster(new Chart(new App(), 'chart'), 'cluster', { driver: [DRIVER] } as any),
  },
  DriverProbeTiming: {
    subject: 'DriverProbe.grpc()',
    prop: 'liveness.periodSecond',
    rule: 'is not a prop of DriverProbeTiming (did you mean periodSeconds?)',
    build: () => DriverProbe.grpc({ liveness: { periodSecond: 5 } as any }),
  },
  DriverSecurityContextOptions: {
    subject: "DraDriver 'gpu' (test/gpu)",
    prop: 'securityContext.readOnlyRootFileSystem',
    rule: 'is not a prop of DriverSecurityContextOptions (did you mean readOnlyRootFilesystem?)',
    build: () => new DraDriver(Testing.chart(), 'gpu', { ...DRIVER, securityContext: DriverSecurityContext.privileged({ readOnlyRootFileSystem: true } as any) }),
  },
  DriverObject: {
    subject: "DraDriver 'gpu' (test/gpu)",
    prop: 'extraObjects[0].field',
    rule: 'is not a prop of DriverObject (did you mean fields?)',
    build: () => new DraDriver(Testing.chart(), 'gpu', {
      ...DRIVER, extraObjects: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'config', field: { data: {} } } as any],
    }),
  },
  DriverGrpcProbeOptions: {
    subject: 'DriverProbe.grpc()',
    prop: 'ports',
    rule: 'is not a prop of DriverGrpcProbeOptions (did you mean port?)',
    build: () => DriverProbe.grpc({ ports: 9000 } as any),
  },
  DriverHttpGetProbeOptions: {
    subject: 'DriverProbe.httpGet()',
    prop: 'paths',
    rule: 'is not a prop of DriverHttpGetProbeOptions (did you mean path?)',
    build: () => DriverProbe.httpGet({ port: 8080, paths: '/healthz' } as any),
  },
  DriverRollingUpdateOptions: {
    subject: 'DriverUpgrade.rollingUpdate()',
    prop: 'maxUnavailble',
    rule: 'is not a prop of DriverRollingUpdateOptions (did you mean maxUnavailable?)',
    build: () => DriverUpgrade.rollingUpdate({ maxUnavailble: kplus.PercentOrAbsolute.percent(100) } as any),
  },
  DriverDrainCheckOptions: {
    subject: 'DriverDrainCheck.blockingClaims()',
    prop: 'node_labels',
    rule: 'is not a prop of DriverDrainCheckOptions (did you mean nodeLabels?)',
    build: () => DriverDrainCheck.blockingClaims({ nodeName: 'node-1', node_labels: {} } as any, []),
  },
  KubeletPluginRulesOptions: {
    subject: 'DraRbacRules.kubeletPlugin()',
    prop: 'writeDeviceStatus',
    rule: 'is not a prop of KubeletPluginRulesOptions (did you mean writesDeviceStatus?)',
    build: () => DraRbacRules.kubeletPlugin('gpu.example.com', { writeDeviceStatus: true } as any),
  },
  DriverControllerRulesOptions: {
    subject: 'DraRbacRules.driverController()',
    prop: 'writeDeviceStatus',
    rule: 'is not a prop of DriverControllerRulesOptions (did you mean writesDeviceStatus?)',
    build: () => DraRbacRules.driverController('gpu.example.com', { writeDeviceStatus: true } as any),
  },
  DraDeviceTaintProps: {
    subject: "DraDeviceTaint 'drain' (test/drain)",
    prop: 'nodeName',
    rule: 'is not a prop of DraDeviceTaintProps (did you mean name?)',
    build: () => new DraDeviceTaint(Testing.chart(), 'drain', {
      kubernetesVersion: '1.37', driver: 'gpu.example.com', effect: DeviceTaintEffect.NO_EXECUTE, nodeName: 'node-1',
    } as any),
  },
  ResourceSliceGuardProps: {
    subject: "ResourceSliceGuard 'guard' (test/guard)",
    prop: 'appname',
    rule: 'is not a prop of ResourceSliceGuardProps (did you mean appName?)',
    build: () => {
      const chart = Testing.chart();
      return new ResourceSliceGuard(chart, 'guard', { name: 'gpu-guard', serviceAccount: serviceAccount(chart), appname: 'gpu' } as any);
    },
  },
};

test('every struct the library checks input against has a case here', () => {
  expect(Object.keys(cases).sort()).toEqual([...structSchemas().keys()].sort());
});

test.each(Object.entries(cases))('%s refuses an unknown name with the nearest known one', (_struct, c) => {
  const error = refusal(c.build);
  expect(error.message.startsWith(`${c.subject}`)).toBe(true);
  expect({ prop: error.prop, rule: error.rule }).toEqual({ prop: c.prop, rule: c.rule });
});

test('the message names the construct, the unknown prop, its value and the nearest known prop', () => {
  expect(refusal(cases.DraDriverProps.build).message).toBe(
    "DraDriver 'gpu' (test/gpu): readinessProbe {\"grpc\":{\"port\":51515}} is not a prop of DraDriverProps (did you mean probe?)");
});

test('a prop of a nested construct in DraCluster is refused by that construct', () => {
  const error = refusal(() => new DraCluster(new Chart(new App(), 'chart'), 'cluster', { drivers: [{ ...DRIVER, hostNetwrok: true }] } as any));
  expect(error.message).toMatch(/^DraDriver 'gpu.example.com' \(chart\/cluster\/gpu.example.com\): hostNetwrok true is not a prop of DraDriverProps \(did you mean hostNetwork\?\)$/);
});

test('the settings users passed to DraDriver that it does not have are refused, not ignored', () => {
  // securityContext is a prop now (DriverSecurityContext); the others are said another way (probe, metricsPort, serviceAccountToken).
  for (const prop of ['readinessProbe', 'ports', 'automountServiceAccountToken']) {
    const error = refusal(() => new DraDriver(Testing.chart(), 'gpu', { ...DRIVER, [prop]: {} } as any));
    expect(error.prop).toBe(prop);
    expect(error.rule).toMatch(/^is not a prop of DraDriverProps/);
  }
});

test('a name given with an undefined value is refused too: it is still not a prop', () => {
  expect(refusal(() => DriverProbe.grpc({ service: 'liveness', servise: undefined } as any)).prop).toBe('servise');
});

describe('the nearest known name', () => {
  test.each([
    ['admins', ['adminSubjects', 'scale'], 'adminSubjects'],
    ['securityContext', ['podSecurityContext', 'probe'], 'podSecurityContext'],
    ['image_pull_policy', ['imagePullPolicy', 'image'], 'imagePullPolicy'],
    ['IMAGE', ['imagePullPolicy', 'image'], 'image'],
    ['replica', ['replicas', 'resources'], 'replicas'],
  ])('%s -> %s', (name, known, nearest) => {
    expect(nearestName(name, known)).toBe(nearest);
  });

  test('none when nothing is close', () => {
    expect(nearestName('automountServiceAccountToken', ['driverName', 'image', 'probe', 'hostNetwork'])).toBeUndefined();
  });
});
