// GKE-style critical pods: the API server's ResourceQuota admission plugin configured with
// `limitedResources` for pods of the system-node-critical and system-cluster-critical
// PriorityClasses (as GKE configures it, and as upstream's "Limit Priority Class consumption by
// default" describes). Such a pod is refused in a namespace without a ResourceQuota whose
// scopeSelector covers its class. A dedicated control plane with that configuration and three
// fake Nodes runs two DraDrivers (node-critical by default): the DaemonSet controller cannot create
// the plugin pods of the one without `priorityClassPodQuota`, and creates one per node for the
// one with it. No kubelet runs: the pods stay Pending.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { stopWatchdog } from '../../harness/cluster/components';
import { clientOf, ControlPlaneState, logTails, startControlPlane, stopControlPlane } from '../../harness/cluster/control-plane';
import { createNodes } from '../../harness/cluster/identities';
import { KubeClient } from '../../harness/cluster/kube-client';
import { applyAll, problems } from '../../harness/cluster/objects';
import { startWatchdog } from '../../harness/cluster/processes';
import { DraDriver } from '../../src';

/** ResourceQuota's plugin configuration: pods of these classes need a quota covering them. */
const ADMISSION_CONFIGURATION = stringify({
  apiVersion: 'apiserver.config.k8s.io/v1',
  kind: 'AdmissionConfiguration',
  plugins: [{
    name: 'ResourceQuota',
    configuration: {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'ResourceQuotaConfiguration',
      limitedResources: [{
        resource: 'pods',
        matchScopes: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical', 'system-cluster-critical'] }],
      }],
    },
  }],
});

const NODES = ['critical-node-0', 'critical-node-1', 'critical-node-2'];

function driverObjects(name: string, quota?: number): { driver: DraDriver; objects: any[] } {
  const chart = new Chart(Testing.app(), name);
  const driver = new DraDriver(chart, 'driver', {
    driverName: `${name}.example.com`,
    image: 'registry.example.com/critical-plugin:v1',
    namespace: name,
    ...(quota !== undefined ? { priorityClassPodQuota: quota } : {}),
  });
  return { driver, objects: Testing.synth(chart) };
}

/** The plugin pods the DaemonSet controller created in `namespace`. */
async function podCount(admin: KubeClient, namespace: string): Promise<number> {
  return (await admin.get(`/api/v1/namespaces/${namespace}/pods`)).items.length;
}

let work: string;
let state: ControlPlaneState;
let admin: KubeClient;
let watchdog: number;
const withoutQuota = driverObjects('crit-none');
const withQuota = driverObjects('crit-quota', 10);

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-critical-'));
  state = await startControlPlane(path.join(work, 'control-plane'), { admissionConfiguration: ADMISSION_CONFIGURATION });
  watchdog = startWatchdog(process.pid, state.processes.map(p => p.pid));
  admin = clientOf(state);
  await createNodes(admin, NODES);
  expect(problems(await applyAll(admin, [...withoutQuota.objects, ...withQuota.objects]))).toEqual([]);
}, 400_000);

afterAll(async () => {
  if (state) {
    await stopControlPlane(state);
    stopWatchdog(watchdog);
  }
  fs.rmSync(work, { recursive: true, force: true });
}, 60_000);

test('DraDriver\'s plugin pods are node-critical, and the quota it writes covers exactly that class', () => {
  const pod = withQuota.objects.find(o => o.kind === 'DaemonSet').spec.template.spec;
  expect(pod.priorityClassName).toBe('system-node-critical');
  const quota = withQuota.objects.find(o => o.kind === 'ResourceQuota');
  expect(quota.spec.scopeSelector.matchExpressions).toEqual([{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }]);
  expect(withoutQuota.objects.filter(o => o.kind === 'ResourceQuota')).toEqual([]);
});

test('with priorityClassPodQuota the DaemonSet controller creates a plugin pod on every node', async () => {
  await admin.waitFor('a plugin pod per node', async () => (await podCount(admin, withQuota.driver.namespace)) === NODES.length ? true : undefined, 180_000)
    .catch(error => { throw new Error(`${error.message}\n${logTails(state.processes, 10)}`); });
});

test('without it the API server refuses every plugin pod: the DaemonSet controller reports the quota refusal and creates none', async () => {
  const namespace = withoutQuota.driver.namespace;
  const refusal = await admin.waitFor('a FailedCreate event', async () => {
    const events = (await admin.get(`/api/v1/namespaces/${namespace}/events`)).items;
    return events.find((e: any) => e.reason === 'FailedCreate')?.message as string | undefined;
  }, 180_000);
  expect(refusal).toMatch(/insufficient quota to match these scopes: \[\{PriorityClass In \[system-node-critical system-cluster-critical\]\}\]/);
  expect(await podCount(admin, namespace)).toBe(0);
  // The same pod template, created directly: the answer of the admission plugin itself. It
  // refuses with a plain error (k8s.io/apiserver pkg/admission/plugin/resourcequota/controller.go),
  // which the API server answers as 500, not 403.
  const template = withoutQuota.objects.find(o => o.kind === 'DaemonSet').spec.template;
  const direct = await admin.request('POST', `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plugin-direct', labels: template.metadata.labels }, spec: { ...template.spec, nodeName: NODES[0] },
  });
  expect({ status: direct.status, message: direct.body.message }).toEqual({ status: 500, message: expect.stringMatching(/insufficient quota to match these scopes/) });
});
