// The kubelet plugin's registration socket at the Unix socket limit, on the real node: the example
// driver (dra-example-driver v0.4.0, kubeletplugin helper v0.36, no shorter fallback name) rolled
// out seamlessly (POD_UID, maxSurge 1) under the node's kubelet root. Its registration socket is
// <root>/plugins_registry/<driver>-<pod UID>-reg.sock: with a driver name one character longer,
// the path goes from 107 bytes, which the plugin binds and the kubelet registers, to 108, which
// it cannot bind (kubernetes#139166). DRA017 and DraDriver draw the line at the same place.
// Run it under the machine's node lock: flock /run/cdk8s-dra-node.flock npx jest test/real-node/socket-paths.test.ts
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ImagePullPolicy } from 'cdk8s-plus-28';
import { clientOf } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { applyAll, problems, waitForAdmissionPolicies } from '../../harness/cluster/objects';
import { startWatchdog } from '../../harness/cluster/processes';
import { registrations } from '../../harness/node/example-driver';
import { NODE_IMAGES, NodeState, nodeLogTails, startNode, stopNode } from '../../harness/node/node';
import { DraDriver, DraGoodPractices, DriverUpgrade } from '../../src';
import { MAX_SOCKET_PATH, POD_UID_LENGTH } from '../../src/common/plugin-sockets';

const SETUP_TIMEOUT_MS = 600_000;
const STEP_TIMEOUT_MS = 300_000;

let node: NodeState;
let admin: KubeClient;
let watchdog: number | undefined;

/**
 * The driver name `<letter...>.example.com` whose registration socket path under the node's
 * kubelet root is `bytes` long.
 */
function nameForPath(bytes: number, letter: string): string {
  const fixed = `${node.kubeletRootDir}/plugins_registry/`.length + '-'.length + POD_UID_LENGTH + '-reg.sock'.length;
  return `${letter.repeat(bytes - fixed - '.example.com'.length)}.example.com`;
}

/**
 * The example driver's DaemonSet as DraDriver writes it (seamless upgrade), in a namespace of its
 * own, running as `driverName`. DraDriver refuses a name over the limit, so `runAs` swaps a longer
 * one into the objects afterwards, as a vendor chart's value would.
 */
function driverObjects(namespace: string, driverName: string, runAs = driverName): any[] {
  const chart = new Chart(Testing.app(), namespace);
  new DraDriver(chart, 'driver', {
    driverName,
    name: namespace,
    namespace,
    image: NODE_IMAGES.driver,
    imagePullPolicy: ImagePullPolicy.NEVER,
    command: ['dra-example-kubeletplugin'],
    upgrade: DriverUpgrade.seamless(),
    minKubeletVersion: '1.34',
    kubeletRootDir: node.kubeletRootDir,
    cdiDir: node.cdiDir,
    env: [{ name: 'DRIVER_NAME', value: driverName }, { name: 'DEVICE_PROFILE', value: 'gpu' }, { name: 'NUM_DEVICES', value: '1' }],
  });
  const objects = Testing.synth(chart).filter(o => o.kind !== 'ServiceMonitor');
  return JSON.parse(JSON.stringify(objects).split(driverName).join(runAs));
}

async function deploy(objects: any[]): Promise<void> {
  expect(problems(await applyAll(admin, objects.filter(o => o.kind !== 'DaemonSet')))).toEqual([]);
  await waitForAdmissionPolicies(admin);
  expect(problems(await applyAll(admin, objects.filter(o => o.kind === 'DaemonSet')))).toEqual([]);
}

/** The registration sockets of `driverName` in the node's plugins_registry. */
function socketsOf(driverName: string): string[] {
  const dir = path.join(node.kubeletRootDir, 'plugins_registry');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.startsWith(`${driverName}-`)) : [];
}

async function pluginPod(namespace: string): Promise<any> {
  return admin.waitFor(`a plugin pod in ${namespace}`, async () => (await admin.get(`/api/v1/namespaces/${namespace}/pods`)).items[0]);
}

function dra017(objects: any[]): string[] {
  return DraGoodPractices.checkObjects(objects, { kubernetesVersion: testKubernetesMinor(), minKubeletVersion: '1.34' })
    .findings.filter(f => f.ruleId === 'DRA017').map(f => f.message);
}

function nodeTest(name: string, body: () => Promise<void>, timeoutMs = STEP_TIMEOUT_MS): void {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      (error as Error).message += `\n${nodeLogTails(node, 25)}`;
      throw error;
    }
  }, timeoutMs);
}

beforeAll(async () => {
  node = await startNode();
  watchdog = startWatchdog(process.pid, [...node.controlPlane.processes, ...node.processes].map(p => p.pid));
  admin = clientOf(node.controlPlane);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await stopNode();
  if (watchdog !== undefined) process.kill(watchdog);
}, 180_000);

nodeTest(`at ${MAX_SOCKET_PATH} bytes the plugin binds its registration socket and the kubelet registers it; DRA017 and DraDriver accept the name`, async () => {
  const name = nameForPath(MAX_SOCKET_PATH, 'f');
  const objects = driverObjects('socket-fits', name);
  expect(dra017(objects)).toEqual([]);
  await deploy(objects);
  const pod = await pluginPod('socket-fits');
  const socket = `${name}-${pod.metadata.uid}-reg.sock`;
  expect(`${node.kubeletRootDir}/plugins_registry/${socket}`).toHaveLength(MAX_SOCKET_PATH);
  await admin.waitFor('the kubelet registered the plugin', async () =>
    registrations(node, name).some(r => r.event === 'Registered') ? true : undefined, 180_000);
  expect(socketsOf(name)).toEqual([socket]);
});

nodeTest(`at ${MAX_SOCKET_PATH + 1} bytes the plugin cannot bind it and never registers; DRA017 and DraDriver refuse the name`, async () => {
  const fits = nameForPath(MAX_SOCKET_PATH, 'f');
  const long = nameForPath(MAX_SOCKET_PATH + 1, 'l');
  expect(() => driverObjects('socket-long', long)).toThrow(/is too long for the kubelet plugin socket/);
  const objects = driverObjects('socket-long', fits, long);
  expect(dra017(objects)).toEqual([expect.stringMatching(new RegExp(`registration socket .*${long.replace(/\./g, '\\.')}-<pod-uid>-reg\\.sock: 108 bytes`))]);
  await deploy(objects);
  const pod = await admin.waitFor('the plugin container failed and restarted', async () => {
    const current = await pluginPod('socket-long');
    return (current.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? current : undefined;
  }, 240_000);
  // The failed container's log, or the current attempt's (the kubelet may have removed the
  // previous container already): the plugin says which socket it could not listen on.
  const socket = `${long}-${pod.metadata.uid}-reg.sock`;
  const log = await admin.waitFor('a plugin log naming the socket', async () => {
    for (const query of ['?previous=true', '']) {
      const text = String((await admin.request('GET', `/api/v1/namespaces/socket-long/pods/${pod.metadata.name}/log${query}`)).body);
      if (text.includes(socket)) return text;
    }
    return undefined;
  }, 120_000);
  expect(log).toMatch(/invalid argument/);
  expect(registrations(node, long)).toEqual([]);
  expect(socketsOf(long)).toEqual([]);
});
