/**
 * Property test over the real charts' plugin specs (../shared/fixtures and Intel Gaudi's
 * manifest): random combinations of the security contexts, probes, volumes, host namespaces
 * and sidecars those charts use, each written the way the chart has it, ported to DraDriver
 * props the way docs/driver.md says, either reach the DaemonSet unchanged or are refused with
 * a DraValidationError that names the prop to change. Nothing in between.
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  DraDriver, DraValidationError, DriverAppArmorProfile, DriverContainerOptions, DriverProbe, DriverProbeTiming, DriverSeccompProfile,
  DriverSecurityContext, DriverSecurityContextOptions,
} from '../../src';

/** Security contexts of the charts' plugin containers (core/v1 JSON), and what a user adds to them. */
const SECURITY_CONTEXTS: Array<{ [key: string]: any } | undefined> = [
  undefined, // dra-driver-cpu
  { privileged: true }, // dra-example-driver, NVIDIA, dranet
  { privileged: false, runAsUser: 0, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } }, // Intel GPU
  { privileged: true, runAsUser: 0, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } }, // Intel Gaudi
  { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'] } },
  { privileged: true, allowPrivilegeEscalation: false }, // refused: the API server forbids it
];
const APP_ARMOR = [undefined, { type: 'RuntimeDefault' }, { type: 'Localhost', localhostProfile: 'dra-plugin' }];

/** Probes of the charts: kind, port, path, and the timing fields they set. */
const PROBE_TIMINGS: Array<DriverProbeTiming | undefined> = [
  undefined, { initialDelaySeconds: 10 }, { periodSeconds: 1, failureThreshold: 600 }, { timeoutSeconds: 10 }, { periodSeconds: 30 },
  { failureThreshold: 12, periodSeconds: 5 },
  { periodSeconds: 0 }, // refused: a probe every 0 s
];

/** Host volumes of the charts, with the mount each makes and its propagation. */
const HOST_VOLUMES = [
  { name: 'nri-plugin', path: '/var/run/nri', mountPath: '/var/run/nri' },
  { name: 'netns', path: '/var/run/netns', mountPath: '/var/run/netns', mountPropagation: 'HostToContainer' },
  { name: 'infiniband', path: '/dev/infiniband', mountPath: '/dev/infiniband', mountPropagation: 'HostToContainer' },
  { name: 'bpf-programs', path: '/sys/fs/bpf', mountPath: '/sys/fs/bpf', mountPropagation: 'HostToContainer' },
  { name: 'dranet-run', path: '/var/run/dranet', type: 'DirectoryOrCreate', mountPath: '/var/run/dranet' },
  { name: 'sysfs', path: '/sys', mountPath: '/sysfs' },
  { name: 'xpumd-socket', path: '/run/xpumd', mountPath: '/run/xpumd' },
  { name: 'driver-root', path: '/run/nvidia/driver', mountPath: '/driver-root', mountPropagation: 'Bidirectional' }, // refused unless privileged
];

/** A chart's plugin spec: container and pod fields as the chart writes them. */
interface ChartSpec {
  readonly securityContext?: { [key: string]: any };
  readonly probe: { kind: 'grpc' | 'httpGet'; port: number; startup?: DriverProbeTiming; liveness?: DriverProbeTiming; readiness?: DriverProbeTiming };
  readonly volumes: typeof HOST_VOLUMES;
  readonly hostNetwork: boolean;
  readonly hostPID: boolean;
  readonly sidecar?: { securityContext?: { [key: string]: any }; serviceAccountToken: boolean };
}

const securityContext = fc.tuple(fc.constantFrom(...SECURITY_CONTEXTS), fc.constantFrom(...APP_ARMOR))
  .map(([context, appArmor]) => (appArmor === undefined ? context : { ...context, appArmorProfile: appArmor }));

const chartSpec: fc.Arbitrary<ChartSpec> = fc.record({
  securityContext,
  probe: fc.record({
    kind: fc.constantFrom('grpc' as const, 'httpGet' as const),
    port: fc.constantFrom(51515, 51516, 8080, 9177),
    startup: fc.constantFrom(...PROBE_TIMINGS),
    liveness: fc.constantFrom(...PROBE_TIMINGS),
    readiness: fc.constantFrom(...PROBE_TIMINGS),
  }),
  volumes: fc.subarray(HOST_VOLUMES),
  hostNetwork: fc.boolean(),
  hostPID: fc.boolean(),
  sidecar: fc.option(fc.record({ securityContext, serviceAccountToken: fc.boolean() }), { nil: undefined }),
});

/** A chart's securityContext JSON written as DraDriver props, field for field. */
function portSecurityContext(json: { [key: string]: any } | undefined): DriverSecurityContext {
  if (json === undefined) return DriverSecurityContext.runtimeDefault();
  const profile = <T>(p: any, make: { runtimeDefault(): T; unconfined(): T; localhost(name: string): T }) => p === undefined ? undefined
    : p.type === 'Localhost' ? make.localhost(p.localhostProfile) : p.type === 'Unconfined' ? make.unconfined() : make.runtimeDefault();
  const options: DriverSecurityContextOptions = {
    privileged: json.privileged,
    runAsUser: json.runAsUser,
    allowPrivilegeEscalation: json.allowPrivilegeEscalation,
    readOnlyRootFilesystem: json.readOnlyRootFilesystem,
    capabilitiesAdd: json.capabilities?.add,
    capabilitiesDrop: json.capabilities?.drop,
    seccompProfile: profile(json.seccompProfile, DriverSeccompProfile),
    appArmorProfile: profile(json.appArmorProfile, DriverAppArmorProfile),
  };
  return DriverSecurityContext.of(options);
}

/** Without undefined fields, as the YAML has it. */
function defined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function build(spec: ChartSpec): { daemonSet?: any; refusal?: DraValidationError } {
  const chart = Testing.chart();
  const probeOptions = { port: spec.probe.port, startup: spec.probe.startup, liveness: spec.probe.liveness, readiness: spec.probe.readiness };
  const sidecar: DriverContainerOptions[] = spec.sidecar === undefined ? [] : [{
    name: 'exporter',
    image: 'registry.example.com/exporter:v1',
    securityContext: portSecurityContext(spec.sidecar.securityContext),
    serviceAccountToken: spec.sidecar.serviceAccountToken,
    volumeMounts: spec.volumes.map(v => ({ name: v.name, mountPath: v.mountPath, mountPropagation: v.mountPropagation })),
  }];
  try {
    new DraDriver(chart, 'driver', {
      driverName: 'gpu.example.com',
      image: 'registry.example.com/plugin:v1',
      securityContext: portSecurityContext(spec.securityContext),
      probe: spec.probe.kind === 'grpc' ? DriverProbe.grpc(probeOptions) : DriverProbe.httpGet(probeOptions),
      volumes: spec.volumes.map(v => ({ name: v.name, hostPath: { path: v.path, type: v.type } })),
      volumeMounts: spec.volumes.map(v => ({ name: v.name, mountPath: v.mountPath, mountPropagation: v.mountPropagation })),
      hostNetwork: spec.hostNetwork,
      hostPID: spec.hostPID,
      containers: sidecar,
    });
  } catch (e) {
    if (e instanceof DraValidationError) return { refusal: e };
    throw e;
  }
  return { daemonSet: Testing.synth(chart).find(o => o.kind === 'DaemonSet') };
}

/** The props a refusal may name: each a prop the spec set. */
const NAMED_PROP = /^(securityContext\.(allowPrivilegeEscalation)|probe\.(startup|liveness|readiness)\.periodSeconds|(containers\[0\]\.)?volumeMounts\[\d+\]\.mountPropagation|containers\[0\]\.securityContext\.allowPrivilegeEscalation)$/;

describe('the real charts\' plugin specs survive DraDriver unchanged, or are refused naming the prop', () => {
  test('security contexts, probes, volumes, host namespaces and sidecars', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(fc.property(chartSpec, spec => {
      const { daemonSet, refusal } = build(spec);
      if (refusal !== undefined) {
        refused++;
        expect(refusal.constructPath).toBe('test/driver');
        expect(refusal.prop).toMatch(NAMED_PROP);
        return;
      }
      accepted++;
      const pod = daemonSet.spec.template.spec;
      const [plugin, exporter] = pod.containers;
      expect(plugin.securityContext).toEqual(spec.securityContext === undefined ? undefined : defined(spec.securityContext));
      const check = spec.probe.kind === 'grpc'
        ? { grpc: { port: spec.probe.port, service: 'liveness' } }
        : { httpGet: { path: '/healthz', port: spec.probe.port } };
      expect(plugin.startupProbe).toMatchObject({ ...check, ...defined(spec.probe.startup ?? {}) });
      expect(plugin.livenessProbe).toMatchObject({ ...check, ...defined(spec.probe.liveness ?? {}) });
      expect(plugin.readinessProbe).toEqual(spec.probe.readiness === undefined ? undefined : { ...check, ...defined(spec.probe.readiness) });
      for (const v of spec.volumes) {
        expect(pod.volumes).toContainEqual(defined({ name: v.name, hostPath: { path: v.path, type: v.type } }));
        expect(plugin.volumeMounts).toContainEqual(defined({ name: v.name, mountPath: v.mountPath, mountPropagation: v.mountPropagation }));
      }
      expect(pod.hostNetwork).toBe(spec.hostNetwork || undefined);
      expect(pod.hostPID).toBe(spec.hostPID || undefined);
      if (spec.sidecar === undefined) {
        expect(exporter).toBeUndefined();
      } else {
        expect(exporter.securityContext).toEqual(spec.sidecar.securityContext === undefined ? undefined : defined(spec.sidecar.securityContext));
        const holdsToken = (exporter.volumeMounts ?? []).some((m: any) => m.name === 'kube-api-access');
        expect(pod.automountServiceAccountToken === false ? holdsToken : true).toBe(spec.sidecar.serviceAccountToken);
      }
    }), { numRuns: 200, seed: 20261207 });
    // Both outcomes occur: the generator reaches the refusals it includes and the specs that pass.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
