// Kubernetes 1.38 removes the DynamicResourceAllocation feature gate and resource.k8s.io/v1beta1.
// What the checker says about a cluster configuration that still names the gate (DRA018) and about
// a v1beta1 object (DRA012), for the test version, against what that version's real kube-apiserver
// and kube-scheduler do with the same flag and the same object: on 1.34-1.37 they start with the
// gate (GA, locked on from 1.35) and kube-apiserver serves v1beta1 when --runtime-config asks; on
// 1.38 (CDK8S_DRA_KUBERNETES_VERSION=1.38-beta) both exit on the unknown gate and v1beta1 is gone.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startComponent, stopComponents, stopWatchdog } from '../../harness/cluster/components';
import { clientOf, ControlPlaneState, startControlPlane, stopControlPlane } from '../../harness/cluster/control-plane';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { binariesDir, freePort, startWatchdog } from '../../harness/cluster/processes';
import { DraGoodPractices } from '../../src';
import { isAtLeast, KUBERNETES_CHANGES, REMOVED_FEATURE_GATES } from '../../src/common/kubernetes-versions';
import { parseKubernetesVersion } from '../../src/common/names';

const VERSION = testKubernetesMinor();
const TARGET = parseKubernetesVersion(VERSION)!;
const GATE = 'DynamicResourceAllocation';
const GATE_REMOVED = isAtLeast(TARGET, REMOVED_FEATURE_GATES[GATE]);
const V1BETA1_REMOVED = isAtLeast(TARGET, KUBERNETES_CHANGES.v1beta1Removed);
/** The flag as clusters set it while DRA was beta (1.32-1.33), kept through later upgrades. */
const FEATURE_GATES = `--feature-gates=${GATE}=true`;

/** A kubeadm ClusterConfiguration kept from a 1.33 cluster: the gate on kube-apiserver and kube-scheduler. */
const CLUSTER_CONFIGURATION = {
  apiVersion: 'kubeadm.k8s.io/v1beta4',
  kind: 'ClusterConfiguration',
  apiServer: { extraArgs: [{ name: 'feature-gates', value: `${GATE}=true` }] },
  scheduler: { extraArgs: [{ name: 'feature-gates', value: `${GATE}=true` }] },
};

const DEVICE_CLASS = { kind: 'DeviceClass', metadata: { name: 'removed-versions.example.com' }, spec: {} };

let work: string;
let cluster: ControlPlaneState;
let watchdog: number;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-removed-gates-'));
  cluster = await startControlPlane(path.join(work, 'control-plane'), { components: false });
  watchdog = startWatchdog(process.pid, cluster.processes.map(p => p.pid));
}, 300_000);

afterAll(async () => {
  if (cluster) {
    await stopControlPlane(cluster);
    stopWatchdog(watchdog);
  }
  fs.rmSync(work, { recursive: true, force: true });
}, 60_000);

describe(`the ${GATE} gate on ${VERSION}`, () => {
  test(`DRA018 ${GATE_REMOVED ? 'flags' : 'passes'} the gate on kube-apiserver and kube-scheduler`, () => {
    const findings = DraGoodPractices.checkObjects([CLUSTER_CONFIGURATION], { kubernetesVersion: VERSION }).findings.filter(f => f.ruleId === 'DRA018');
    expect(findings.map(f => f.message.split(':')[0])).toEqual(GATE_REMOVED
      ? [`apiServer.extraArgs gives kube-apiserver --feature-gates=${GATE}=true`, `scheduler.extraArgs gives kube-scheduler --feature-gates=${GATE}=true`]
      : []);
  });

  test(`kube-apiserver ${GATE_REMOVED ? 'exits on' : 'starts with'} ${FEATURE_GATES}`, async () => {
    const start = startControlPlane(path.join(work, 'apiserver-gate'), { components: false, apiServerArgs: [FEATURE_GATES] });
    if (GATE_REMOVED) {
      await expect(start).rejects.toThrow(new RegExp(`kube-apiserver exited during start-up[\\s\\S]*unrecognized feature gate: ${GATE}`));
    } else {
      await stopControlPlane(await start);
    }
  }, 300_000);

  test(`kube-scheduler ${GATE_REMOVED ? 'exits on' : 'starts with'} ${FEATURE_GATES}`, async () => {
    const port = await freePort();
    const kubeconfig = cluster.kubeconfig;
    const start = startComponent(path.join(work, 'control-plane'), 'kube-scheduler', path.join(binariesDir(), 'kube-scheduler'), [
      `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
      '--leader-elect=false', '--bind-address=127.0.0.1', `--secure-port=${port}`, FEATURE_GATES,
    ], port);
    if (GATE_REMOVED) {
      await expect(start).rejects.toThrow(new RegExp(`kube-scheduler exited during start-up[\\s\\S]*unrecognized feature gate: ${GATE}`));
    } else {
      await stopComponents([await start]);
    }
  }, 180_000);
});

describe(`resource.k8s.io/v1beta1 on ${VERSION}`, () => {
  test(`DRA012 says v1beta1 is ${V1BETA1_REMOVED ? 'removed' : 'off by default'}`, () => {
    const [finding] = DraGoodPractices.checkObjects([{ apiVersion: 'resource.k8s.io/v1beta1', ...DEVICE_CLASS }], { kubernetesVersion: VERSION }).findings;
    expect(finding.ruleId).toBe('DRA012');
    expect(finding.message).toMatch(V1BETA1_REMOVED ? /removed resource\.k8s\.io\/v1beta1, which no --runtime-config brings back/ : /need --runtime-config/);
  });

  test(`a v1beta1 DeviceClass is refused by default${V1BETA1_REMOVED ? ' and with --runtime-config' : ', created with --runtime-config'}`, async () => {
    const create = (state: ControlPlaneState) => clientOf(state).request('POST', '/apis/resource.k8s.io/v1beta1/deviceclasses', { apiVersion: 'resource.k8s.io/v1beta1', ...DEVICE_CLASS });
    expect((await create(cluster)).status).toBe(404);
    const optedIn = await startControlPlane(path.join(work, 'runtime-config'), { components: false, apiServerArgs: ['--runtime-config=resource.k8s.io/v1beta1=true'] });
    try {
      expect((await create(optedIn)).status).toBe(V1BETA1_REMOVED ? 404 : 201);
    } finally {
      await stopControlPlane(optedIn);
    }
  }, 300_000);
});
