// Claim status written by a kubelet plugin, judged by the real API server of each test version. From
// 1.36 (DRAResourceClaimGranularStatusAuthorization, KEP-4817; pkg/registry/resource/utils.go
// AuthorizedForDeviceStatus) writing `status.devices` also needs `resourceclaims/driver` with the
// associated-node verbs for each driver whose entries change, which DraDriver's writesDeviceStatus
// grants for its own driver name only. Before 1.36, `resourceclaims/status` alone lets any node's
// plugin write any claim's status, which DRA014 reports for those versions. The driver's controller
// (DraDriverControllerOptions.writesDeviceStatus, DraRbacRules.driverController) gets the arbitrary-node
// verbs instead: its driver's entries in claims on any node, never another driver's.
import { Chart, Testing } from 'cdk8s';
import { clientOf } from '../../harness/cluster/control-plane';
import { authorizerAllows, createDaemonSetPod, createNodes, deleteNodes, podBoundToken, waitUntilAllowed } from '../../harness/cluster/identities';
import { KubeClient } from '../../harness/cluster/kube-client';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { applyAll, deleteAll, namespaces, problems } from '../../harness/cluster/objects';
import { DraDriver, DraGoodPractices } from '../../src';
import { formatMinor, isAtLeast, KUBERNETES_CHANGES } from '../../src/common/kubernetes-versions';
import { parseKubernetesVersion } from '../../src/common/names';
import { CLUSTER_SETUP_TIMEOUT_MS, sharedControlPlane } from '../support/cluster/shared';

const VERSION = testKubernetesMinor();
const GRANULAR = isAtLeast(parseKubernetesVersion(VERSION)!, KUBERNETES_CHANGES.granularClaimStatusAuthorization);
const DRIVER = 'status.example.com';
const DRIVER_NAMESPACE = 'dra-claim-status';
const CLAIMS = 'dra-claim-status-claims';
const [OWN, OTHER] = ['claim-status-node-a', 'claim-status-node-b'];

function driverObjects(): any[] {
  const chart = new Chart(Testing.app(), 'claim-status');
  new DraDriver(chart, 'driver', {
    driverName: DRIVER,
    image: 'registry.example.com/status:v1',
    namespace: DRIVER_NAMESPACE,
    writesDeviceStatus: true,
    controller: { image: 'registry.example.com/status-controller:v1', writesDeviceStatus: true },
    kubernetesVersion: VERSION,
  });
  return Testing.synth(chart);
}

const objects = driverObjects();
const plugin = objects.find(o => o.kind === 'DaemonSet');
const controller = objects.find(o => o.kind === 'Deployment');
// No kubelet runs the workloads: their pods are made by hand, bound to a node, for their tokens.
const applied = [...objects.filter(o => o.kind !== 'DaemonSet' && o.kind !== 'Deployment'), ...namespaces([CLAIMS])];
const serviceAccount: string = plugin.spec.template.spec.serviceAccountName;
const controllerServiceAccount: string = controller.spec.template.spec.serviceAccountName;
let admin: KubeClient;
let pluginClient: KubeClient;
let controllerClient: KubeClient;

/**
 * A claim for one device of each of `drivers`, allocated (by the admin, as the scheduler would) on
 * `node`: the server accepts status entries only for allocated devices.
 */
async function allocatedClaim(name: string, node: string, drivers: string[] = [DRIVER]): Promise<void> {
  await admin.expectOk('POST', `/apis/resource.k8s.io/v1/namespaces/${CLAIMS}/resourceclaims`, {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaim',
    metadata: { name },
    spec: { devices: { requests: drivers.map((_, i) => ({ name: `dev-${i}`, exactly: { deviceClassName: DRIVER } })) } },
  });
  await admin.expectOk('PATCH', `/apis/resource.k8s.io/v1/namespaces/${CLAIMS}/resourceclaims/${name}/status`, {
    status: {
      allocation: {
        devices: { results: drivers.map((driver, i) => ({ request: `dev-${i}`, driver, pool: node, device: 'dev-0' })) },
        nodeSelector: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
      },
    },
  }, 'application/merge-patch+json');
}

/** A write of one device status entry into a claim, by the plugin unless `client` says otherwise: the server's status code and message. */
async function writeDeviceStatus(claim: string, driver: string, node: string, client?: KubeClient): Promise<{ status: number; message: string }> {
  const res = await (client ?? pluginClient).request('PATCH', `/apis/resource.k8s.io/v1/namespaces/${CLAIMS}/resourceclaims/${claim}/status`, {
    status: { devices: [{ driver, pool: node, device: 'dev-0', conditions: [], data: { health: 'ok' } }] },
  }, 'application/merge-patch+json');
  return { status: res.status, message: String(res.body?.message ?? '') };
}

beforeAll(async () => {
  admin = clientOf(await sharedControlPlane());
  expect(problems(await applyAll(admin, applied))).toEqual([]);
  await createNodes(admin, [OWN, OTHER]);
  const pod = await createDaemonSetPod(admin, plugin, OWN);
  pluginClient = admin.as({ token: await podBoundToken(admin, DRIVER_NAMESPACE, serviceAccount, pod) });
  // The controller's pod runs on the plugin's node too: the server must not take that for "its" node's claims only.
  const controllerPod = await createDaemonSetPod(admin, controller, OWN);
  controllerClient = admin.as({ token: await podBoundToken(admin, DRIVER_NAMESPACE, controllerServiceAccount, controllerPod) });
  for (const account of [serviceAccount, controllerServiceAccount]) {
    await waitUntilAllowed(admin, { user: `system:serviceaccount:${DRIVER_NAMESPACE}:${account}`, groups: ['system:serviceaccounts'] },
      { group: 'resource.k8s.io', resource: 'resourceclaims', subresource: 'status', verb: 'patch', namespace: CLAIMS });
  }
  await allocatedClaim('on-own-node', OWN);
  await allocatedClaim('on-other-node', OTHER);
  // An entry of another driver, in the same claim the plugin may otherwise write.
  await allocatedClaim('own-node-other-driver', OWN, [DRIVER, 'other.example.com']);
}, CLUSTER_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await deleteAll(admin, applied);
  await deleteNodes(admin, [OWN, OTHER]);
}, 180_000);

test(`the plugin writes the device status of a claim allocated on its own node (${VERSION})`, async () => {
  expect(await writeDeviceStatus('on-own-node', DRIVER, OWN)).toEqual({ status: 200, message: '' });
});

if (GRANULAR) {
  test(`${VERSION} refuses the plugin the status of a claim allocated on another node`, async () => {
    // Refused as an invalid (Forbidden) field: the status strategy asks the authorizer, not RBAC's filter.
    expect(await writeDeviceStatus('on-other-node', DRIVER, OTHER)).toEqual({
      status: 422,
      message: expect.stringContaining('status.devices: Forbidden: changing status.devices requires resource="resourceclaims/driver", verb="[arbitrary-node:patch]"'),
    });
  });

  test(`${VERSION} refuses the plugin another driver's entry, on its own node too`, async () => {
    expect(await writeDeviceStatus('own-node-other-driver', 'other.example.com', OWN)).toEqual({
      status: 422,
      message: expect.stringContaining('resourceclaims.resource.k8s.io "other.example.com" is forbidden'),
    });
  });

  test(`${VERSION} authorizes the driver's synthetic subresource by name: the library's rule covers its own driver only`, async () => {
    const subject = { user: `system:serviceaccount:${DRIVER_NAMESPACE}:${serviceAccount}`, groups: ['system:serviceaccounts'] };
    const ask = (name: string, verb: string) => authorizerAllows(admin, subject,
      { group: 'resource.k8s.io', resource: 'resourceclaims', subresource: 'driver', verb, name });
    expect(await ask(DRIVER, 'associated-node:patch')).toBe(true);
    expect(await ask('other.example.com', 'associated-node:patch')).toBe(false);
    expect(await ask(DRIVER, 'arbitrary-node:patch')).toBe(false);
  });

  test(`${VERSION} lets the controller write its driver's status in claims on any node, its own pod's node included`, async () => {
    expect(await writeDeviceStatus('on-other-node', DRIVER, OTHER, controllerClient)).toEqual({ status: 200, message: '' });
    expect(await writeDeviceStatus('on-own-node', DRIVER, OWN, controllerClient)).toEqual({ status: 200, message: '' });
  });

  test(`${VERSION} refuses the controller another driver's entry`, async () => {
    expect(await writeDeviceStatus('own-node-other-driver', 'other.example.com', OWN, controllerClient)).toEqual({
      status: 422,
      message: expect.stringContaining('resourceclaims.resource.k8s.io "other.example.com" is forbidden'),
    });
  });

  test(`${VERSION} authorizes the controller arbitrary-node for its own driver only, and neither driver account claim allocations`, async () => {
    const controllerSubject = { user: `system:serviceaccount:${DRIVER_NAMESPACE}:${controllerServiceAccount}`, groups: ['system:serviceaccounts'] };
    const pluginSubject = { user: `system:serviceaccount:${DRIVER_NAMESPACE}:${serviceAccount}`, groups: ['system:serviceaccounts'] };
    const ask = (name: string, verb: string) => authorizerAllows(admin, controllerSubject,
      { group: 'resource.k8s.io', resource: 'resourceclaims', subresource: 'driver', verb, name });
    expect(await ask(DRIVER, 'arbitrary-node:patch')).toBe(true);
    expect(await ask('other.example.com', 'arbitrary-node:patch')).toBe(false);
    // Claim allocations are the scheduler's (asked cluster-wide, without a name, as the server asks).
    const binding = { group: 'resource.k8s.io', resource: 'resourceclaims', subresource: 'binding', verb: 'patch' };
    expect(await authorizerAllows(admin, controllerSubject, binding)).toBe(false);
    expect(await authorizerAllows(admin, pluginSubject, binding)).toBe(false);
  });
} else {
  test(`${VERSION} lets the plugin write the status of a claim on another node, and another driver's entry: the hole DRA014 reports`, async () => {
    expect(await writeDeviceStatus('on-other-node', DRIVER, OTHER)).toEqual({ status: 200, message: '' });
    expect(await writeDeviceStatus('own-node-other-driver', 'other.example.com', OWN)).toEqual({ status: 200, message: '' });
    // DraDriver suppresses DRA014 where writesDeviceStatus asks for the grant, with the reason.
    const report = DraGoodPractices.checkObjects(objects, { kubernetesVersion: VERSION });
    expect(report.suppressed.filter(s => s.finding.ruleId === 'DRA014').map(s => s.finding.message)).toEqual([
      expect.stringContaining(`resourceclaims/status update, patch (before ${formatMinor(KUBERNETES_CHANGES.granularClaimStatusAuthorization)}`),
    ]);
  });
}
