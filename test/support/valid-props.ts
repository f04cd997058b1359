/**
 * Random valid props for every construct, shared by the property tests (schema-valid,
 * deterministic output) and the cluster tests (the same samples applied to a real API server).
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PercentOrAbsolute } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  ControlPlaneTarget, DraCluster, DraDriver, DraDriverProps, DraMonitoring, DraMonitoringProps, DraRbac, DraRbacProps,
  DraTunedControlPlane, DriverProbe, DriverUpgrade, PluginSecurityMode,
} from '../../src';

export const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const shortLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?$/);
/**
 * A driver name short enough for the seamless-upgrade registration socket
 * (`.../plugins_registry/<driver>-<pod-uid>-reg.sock` within 107 characters): at most 26 characters.
 */
export const subdomain = fc.tuple(shortLabel, shortLabel, fc.constantFrom('com', 'io', 'example')).map(parts => parts.join('.'));
export const uniqueLabels = (max: number) => fc.uniqueArray(label, { maxLength: max });

export const driverProps: fc.Arbitrary<DraDriverProps> = fc.record({
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
  probe: DriverProbe.grpc({ port: p.healthcheckPort }),
  metricsPort: p.metricsPort,
  upgrade: p.seamless ? DriverUpgrade.seamless() : DriverUpgrade.rollingUpdate({ maxUnavailable: p.maxUnavailable }),
  minKubeletVersion: `1.${p.minor}`,
  securityMode: p.unprivileged ? PluginSecurityMode.UNPRIVILEGED : PluginSecurityMode.PRIVILEGED,
  deviceClasses: [{ name: p.driverName }, ...p.extraClasses.map(name => ({ name: `${name}.${p.driverName}` }))],
}));

export const rbacInput = fc.record({
  admins: fc.uniqueArray(label, { minLength: 1, maxLength: 3 }),
  viewers: fc.option(fc.uniqueArray(label, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  workload: uniqueLabels(4),
  adminAccess: uniqueLabels(2),
  aggregate: fc.boolean(),
});

export const monitoringProps: fc.Arbitrary<DraMonitoringProps> = fc.record({
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

export const scale = fc.record({
  nodes: fc.integer({ min: 1, max: 5000 }),
  podCreationQps: fc.double({ min: 0.1, max: 50, noNaN: true }),
  claimsPerPod: fc.integer({ min: 1, max: 8 }),
});

export type RbacInput = typeof rbacInput extends fc.Arbitrary<infer T> ? T : never;

export function buildRbac(chart: Chart, input: RbacInput): void {
  new DraRbac(chart, 'rbac', rbacProps(chart, input));
}

export function rbacProps(chart: Chart, input: RbacInput): DraRbacProps {
  return {
    admins: input.admins.map(name => kplus.Group.fromName(chart, `admin-${name}`, name)),
    viewers: input.viewers?.map(name => kplus.Group.fromName(chart, `viewer-${name}`, name)),
    workloadNamespaces: input.workload.map(namespace => ({ namespace, operators: [kplus.Group.fromName(chart, `ops-${namespace}`, `${namespace}-ops`)] })),
    adminAccessNamespaces: input.adminAccess.filter(ns => !input.workload.includes(ns)),
    aggregateToBuiltInRoles: input.aggregate,
  };
}

/** A construct under property test: random valid props and how to build the construct from them. */
export interface ValidConstruct<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  readonly build: (chart: Chart, props: T) => void;
}

const clusterInput = fc.record({
  drivers: fc.uniqueArray(driverProps, { minLength: 1, maxLength: 3, selector: d => d.driverName }),
  rbac: rbacInput,
  monitoring: monitoringProps,
  scale,
});

const CONTROL_PLANE_OBJECT_TARGETS = [
  ControlPlaneTarget.KUBEADM, ControlPlaneTarget.CLUSTER_API, ControlPlaneTarget.CLUSTER_API_V1BETA1, ControlPlaneTarget.KOPS,
];

/** Every construct with its random valid props. */
export const VALID_CONSTRUCTS: ReadonlyArray<ValidConstruct<any>> = [
  { name: 'DraDriver', arbitrary: driverProps, build: (chart, props: DraDriverProps) => new DraDriver(chart, 'driver', props) },
  { name: 'DraRbac', arbitrary: rbacInput, build: buildRbac },
  {
    name: 'DraMonitoring with drivers',
    arbitrary: fc.tuple(monitoringProps, driverProps),
    build: (chart, [props, driver]: [DraMonitoringProps, DraDriverProps]) => {
      // The driver's ServiceMonitor carries the labels Prometheus selects (else DraMonitoring warns).
      const gpu = new DraDriver(chart, 'driver', { ...driver, serviceMonitorLabels: props.ruleLabels });
      new DraMonitoring(chart, 'monitoring', { ...props, drivers: [gpu] });
    },
  },
  {
    name: 'DraCluster',
    arbitrary: clusterInput,
    build: (chart, input: typeof clusterInput extends fc.Arbitrary<infer T> ? T : never) => {
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
    },
  },
  {
    name: 'DraTunedControlPlane',
    arbitrary: fc.tuple(scale, fc.constantFrom(...CONTROL_PLANE_OBJECT_TARGETS)),
    build: (chart, [s, target]: [any, ControlPlaneTarget]) => {
      new DraTunedControlPlane(chart, 'cp', {
        target,
        scale: s,
        objectName: target === ControlPlaneTarget.KUBEADM ? undefined : 'cluster-1',
      });
    },
  },
];
