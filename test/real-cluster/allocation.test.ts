// Device allocation through the real kube-scheduler and resource-claim controller: DraDriver's
// DeviceClasses get exactly the devices their selectors match, a pod waits when they are taken,
// and DriverDrainCheck (the function and its kubectl + jq command) reads the real claims.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { clientOf, ControlPlaneState } from '../../harness/cluster/control-plane';
import { createDaemonSetPod, createNodes, deleteNodes, podBoundToken } from '../../harness/cluster/identities';
import { KubeClient } from '../../harness/cluster/kube-client';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { applyAll, deleteAll, namespaces, problems, waitForAdmissionPolicies } from '../../harness/cluster/objects';
import { DraDriver, DriverDrainCheck } from '../../src';
import { isAtLeast } from '../../src/common/kubernetes-versions';
import { parseKubernetesVersion } from '../../src/common/names';
import { CLUSTER_SETUP_TIMEOUT_MS, sharedControlPlane } from '../support/cluster/shared';

const DRIVER = 'alloc.example.com';
const WORKLOADS = 'alloc-workloads';
const NODES = ['alloc-node-1', 'alloc-node-2', 'alloc-node-3'];
const CLASS_CONFIG = { apiVersion: 'alloc.example.com/v1', kind: 'SharingConfig', mode: 'time-sliced' };

/** Each node's devices: model and memory differ, so the classes below select different ones. */
const DEVICES: Record<string, Array<{ name: string; model: string; memory: string }>> = {
  'alloc-node-1': [{ name: 'gpu-0', model: 'A', memory: '16Gi' }, { name: 'gpu-1', model: 'B', memory: '40Gi' }],
  'alloc-node-2': [{ name: 'gpu-0', model: 'A', memory: '80Gi' }],
  'alloc-node-3': [{ name: 'gpu-0', model: 'B', memory: '16Gi' }],
};
const LARGE = ['alloc-node-1/gpu-1', 'alloc-node-2/gpu-0'];

function driverObjects(): any[] {
  const chart = new Chart(Testing.app(), 'alloc');
  new DraDriver(chart, 'driver', {
    driverName: DRIVER,
    image: 'registry.example.com/alloc:v1',
    namespace: 'dra-alloc',
    deviceClasses: [
      { name: DRIVER },
      { name: `large.${DRIVER}`, selectors: [`device.capacity["${DRIVER}"].memory.compareTo(quantity("40Gi")) >= 0`] },
      { name: `model-b.${DRIVER}`, selectors: [`device.attributes["${DRIVER}"].model == "B"`], config: [{ parameters: CLASS_CONFIG }] },
    ],
  });
  return Testing.synth(chart);
}

function resourceSlice(node: string): any {
  return {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceSlice',
    metadata: { name: `${node}-${DRIVER}` },
    spec: {
      driver: DRIVER,
      nodeName: node,
      pool: { name: node, generation: 1, resourceSliceCount: 1 },
      devices: DEVICES[node].map(d => ({
        name: d.name,
        attributes: { model: { string: d.model } },
        capacity: { memory: { value: d.memory } },
      })),
    },
  };
}

function claimTemplate(name: string, deviceClassName: string): any {
  return {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaimTemplate',
    metadata: { name, namespace: WORKLOADS },
    spec: { spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName } }] } } },
  };
}

function pod(name: string, template: string): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: WORKLOADS },
    spec: {
      resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: template }],
      containers: [{ name: 'app', image: 'registry.example.com/app:v1', resources: { claims: [{ name: 'gpu' }] } }],
    },
  };
}

let state: ControlPlaneState;
let admin: KubeClient;
const objects = driverObjects();
const cluster = objects.filter(o => o.kind !== 'DaemonSet');
const workloads = [...namespaces([WORKLOADS]), claimTemplate('large', `large.${DRIVER}`), claimTemplate('model-b', `model-b.${DRIVER}`)];

beforeAll(async () => {
  state = await sharedControlPlane();
  admin = clientOf(state);
  expect(problems(await applyAll(admin, [...cluster, ...workloads]))).toEqual([]);
  await waitForAdmissionPolicies(admin);
  await createNodes(admin, NODES);
  // Each node's plugin publishes its own slice with its pod-bound token, through the library's guard.
  const daemonSet = objects.find(o => o.kind === 'DaemonSet');
  for (const node of NODES) {
    const plugin = await createDaemonSetPod(admin, daemonSet, node);
    const token = await podBoundToken(admin, daemonSet.metadata.namespace, daemonSet.spec.template.spec.serviceAccountName, plugin);
    await admin.as({ token }).expectOk('POST', '/apis/resource.k8s.io/v1/resourceslices', resourceSlice(node));
  }
}, CLUSTER_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await deleteAll(admin, workloads);
  for (const node of NODES) {
    await admin.request('DELETE', `/apis/resource.k8s.io/v1/resourceslices/${node}-${DRIVER}`);
  }
  await deleteAll(admin, cluster);
  await deleteNodes(admin, NODES);
}, 300_000);

/** The claim the resource-claim controller made for a pod, once the scheduler has allocated it. */
async function allocatedClaim(podName: string): Promise<any> {
  return admin.waitFor(`the claim of ${podName} allocated`, async () => {
    const current = await admin.get(`/api/v1/namespaces/${WORKLOADS}/pods/${podName}`);
    const claimName = current.status?.resourceClaimStatuses?.[0]?.resourceClaimName;
    if (!current.spec.nodeName || !claimName) {
      return undefined;
    }
    const claim = await admin.get(`/apis/resource.k8s.io/v1/namespaces/${WORKLOADS}/resourceclaims/${claimName}`);
    return claim.status?.allocation && (claim.status.reservedFor ?? []).length > 0 ? { pod: current, claim } : undefined;
  }, 120_000);
}

function allocatedDevices(claim: any): string[] {
  return claim.status.allocation.devices.results.map((r: any) => `${r.pool}/${r.device}`);
}

async function allClaims(): Promise<any[]> {
  return (await admin.get('/apis/resource.k8s.io/v1/resourceclaims')).items;
}

/** DriverDrainCheck.shellCommand() run with the real kubectl and jq against the control plane. */
function shellDrainCheck(node: string): string[] {
  const out = execFileSync('bash', ['-c', DriverDrainCheck.shellCommand(DRIVER)], {
    encoding: 'utf-8',
    env: { ...process.env, PATH: `${state.binaries}${path.delimiter}${process.env.PATH}`, KUBECONFIG: state.kubeconfig, NODE_NAME: node },
  });
  return out.split('\n').filter(line => line !== '').sort();
}

describe('allocation by the real scheduler, drain checks on the real claims', () => {
  test('the large class gets only devices of at least 40Gi; when they are taken, the next pod waits and the scheduler says why', async () => {
    for (const name of ['large-1', 'large-2', 'large-3']) {
      await admin.expectOk('POST', `/api/v1/namespaces/${WORKLOADS}/pods`, pod(name, 'large'));
    }
    const bound = await admin.waitFor('two large pods bound', async () => {
      const pods = (await admin.get(`/api/v1/namespaces/${WORKLOADS}/pods`)).items
        .filter((p: any) => p.metadata.name.startsWith('large-') && p.spec.nodeName);
      return pods.length >= 2 ? pods : undefined;
    }, 120_000);
    const allocated = await Promise.all(bound.map((p: any) => allocatedClaim(p.metadata.name)));
    expect(allocated.flatMap(a => allocatedDevices(a.claim)).sort()).toEqual(LARGE);
    // Each node-local device pins its pod to the device's node.
    for (const { pod: p, claim } of allocated) {
      expect(claim.status.allocation.nodeSelector.nodeSelectorTerms[0].matchFields)
        .toEqual([{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }]);
    }
    const waiting = await admin.waitFor('the third large pod to be found unschedulable', async () => {
      const pods = (await admin.get(`/api/v1/namespaces/${WORKLOADS}/pods`)).items
        .filter((p: any) => p.metadata.name.startsWith('large-') && !p.spec.nodeName);
      const condition = pods[0]?.status?.conditions?.find((c: any) => c.type === 'PodScheduled');
      return condition?.reason === 'Unschedulable' ? condition : undefined;
    }, 120_000);
    expect(waiting.message).toMatch(/cannot allocate all claims/);
  });

  test('the model-B class gets the only free model-B device, with the class\'s opaque config', async () => {
    await admin.expectOk('POST', `/api/v1/namespaces/${WORKLOADS}/pods`, pod('model-b-1', 'model-b'));
    const { pod: bound, claim } = await allocatedClaim('model-b-1');
    expect(allocatedDevices(claim)).toEqual(['alloc-node-3/gpu-0']);
    expect(bound.spec.nodeName).toBe('alloc-node-3');
    // From 1.37 the allocator leaves out `requests` where a class's config applies to every request
    // of the claim (dynamic-resource-allocation/structured, appliesToAll): no list means all of them.
    const requests = isAtLeast(parseKubernetesVersion(testKubernetesMinor())!, { major: 1, minor: 37 }) ? {} : { requests: ['gpu'] };
    expect(claim.status.allocation.devices.config).toEqual([
      { source: 'FromClass', ...requests, opaque: { driver: DRIVER, parameters: CLASS_CONFIG } },
    ]);
  });

  test('DriverDrainCheck and its shell command name exactly the claims reserved on each node, and none once the pods are gone', async () => {
    const claims = await allClaims();
    const expected = new Map<string, string[]>();
    for (const claim of claims.filter(c => (c.status?.reservedFor ?? []).length > 0)) {
      const node = claim.status.allocation.nodeSelector.nodeSelectorTerms[0].matchFields[0].values[0];
      expected.set(node, [...expected.get(node) ?? [], `${claim.metadata.namespace}/${claim.metadata.name}`].sort());
    }
    expect([...expected.keys()].sort()).toEqual(['alloc-node-1', 'alloc-node-2', 'alloc-node-3']);
    for (const node of NODES) {
      expect(DriverDrainCheck.blockingClaims({ nodeName: node, driverName: DRIVER }, claims)).toEqual(expected.get(node));
      expect(shellDrainCheck(node)).toEqual(expected.get(node));
    }

    await admin.request('DELETE', `/api/v1/namespaces/${WORKLOADS}/pods?gracePeriodSeconds=0`);
    // Until the pods are gone the scheduler may still reserve a claim for one it had waiting (the
    // unschedulable large pod gets the devices the others free): wait for no pod and no reservation.
    const released = await admin.waitFor('the pods to be gone and their claims released', async () => {
      const pods = (await admin.get(`/api/v1/namespaces/${WORKLOADS}/pods`)).items as any[];
      const current = await allClaims();
      return pods.length === 0 && current.every(c => (c.status?.reservedFor ?? []).length === 0) ? current : undefined;
    }, 120_000);
    for (const node of NODES) {
      expect(DriverDrainCheck.blockingClaims({ nodeName: node, driverName: DRIVER }, released)).toEqual([]);
      expect(shellDrainCheck(node)).toEqual([]);
    }
  });
});
