import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ImagePullPolicy } from 'cdk8s-plus-28';
import { hostProcesses, procFile } from './host';
import { NodeState } from './node';
import { DraDriver, DriverUpgrade } from '../../src';
import { KubeClient } from '../cluster/kube-client';

/** kubernetes-sigs/dra-example-driver's gpu profile, as its chart names it. */
export const EXAMPLE_DRIVER = 'gpu.example.com';
export const DRIVER_NAMESPACE = 'dra-example-driver';
/** The devices the driver publishes (its NUM_DEVICES). */
export const DEVICES = 4;

export interface ExampleDriverOptions {
  readonly image: string;
  readonly upgrade: DriverUpgrade;
}

/**
 * DraDriver as a cluster admin configures it for the example driver's kubelet plugin, on the test
 * node's kubelet root and CDI directory; the rest is the library's defaults (probes, RBAC, guard,
 * DeviceClass, drain-late tolerations).
 */
export function exampleDriver(node: NodeState, options: ExampleDriverOptions): { driver: DraDriver; objects: any[] } {
  const chart = new Chart(Testing.app(), 'node');
  const driver = new DraDriver(chart, 'example-driver', {
    driverName: EXAMPLE_DRIVER,
    image: options.image,
    // The node's images were imported, not pulled: no registry is reachable.
    imagePullPolicy: ImagePullPolicy.NEVER,
    command: ['dra-example-kubeletplugin'],
    namespace: DRIVER_NAMESPACE,
    upgrade: options.upgrade,
    minKubeletVersion: '1.34',
    metricsPort: 8080,
    kubeletRootDir: node.kubeletRootDir,
    cdiDir: node.cdiDir,
    env: [
      { name: 'DEVICE_PROFILE', value: 'gpu' },
      { name: 'NUM_DEVICES', value: String(DEVICES) },
    ],
  });
  // No prometheus-operator runs on the node's control plane.
  return { driver, objects: Testing.synth(chart).filter(o => o.kind !== 'ServiceMonitor') };
}

export interface PodSummary {
  readonly name: string;
  readonly uid: string;
  readonly image: string;
  readonly phase: string;
  readonly ready: boolean;
  readonly terminating: boolean;
  readonly restarts: number;
  readonly ip?: string;
}

/** The driver's kubelet-plugin pods, oldest first. */
export async function pluginPods(admin: KubeClient): Promise<PodSummary[]> {
  const list = await admin.get(`/api/v1/namespaces/${DRIVER_NAMESPACE}/pods`);
  return (list.items as any[])
    .sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp))
    .map(summary);
}

function summary(pod: any): PodSummary {
  return {
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    image: pod.spec.containers[0].image,
    phase: pod.status?.phase ?? 'Unknown',
    ready: (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
    terminating: pod.metadata.deletionTimestamp !== undefined,
    restarts: pod.status?.containerStatuses?.[0]?.restartCount ?? 0,
    ip: pod.status?.podIP,
  };
}

/** A DRA plugin (un)registration as the kubelet logs it (V(3), pkg/kubelet/cm/dra/plugin). */
export interface Registration {
  /** Milliseconds since the epoch, from the klog header. */
  readonly time: number;
  readonly event: 'Registered' | 'Unregistered';
  readonly endpoint: string;
  /** The driver's plugins the kubelet knows after this event. */
  readonly plugins: number;
}

/** The kubelet's registrations of `driver`, oldest first. */
export function registrations(node: NodeState, driver = EXAMPLE_DRIVER): Registration[] {
  const log = fs.readFileSync(path.join(node.dir, 'logs', 'kubelet.log'), 'utf-8');
  const year = new Date().getUTCFullYear();
  return log.split('\n').flatMap(line => {
    const m = /^I(\d\d)(\d\d) (\d\d:\d\d:\d\d\.\d+) .*"(Registered|Unregistered) DRA plugin".* driverName="([^"]+)" endpoint="([^"]+)".* numPlugins=(\d+)/.exec(line);
    if (!m || m[5] !== driver) return [];
    return [{
      time: Date.parse(`${year}-${m[1]}-${m[2]}T${m[3].slice(0, 12)}Z`),
      event: m[4] as Registration['event'],
      endpoint: m[6],
      plugins: Number(m[7]),
    }];
  });
}

/** The registration sockets in the kubelet's plugin registry: one per running plugin instance. */
export function registrationSockets(node: NodeState): string[] {
  const dir = path.join(node.kubeletRootDir, 'plugins_registry');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.startsWith(`${EXAMPLE_DRIVER}-`)).sort() : [];
}

/** The host PID of the plugin process of the pod with `podUid` (its POD_UID variable says which). */
export function pluginPid(podUid: string): number | undefined {
  return hostProcesses(pid => procFile(pid, 'cmdline').startsWith('dra-example-kubeletplugin')
    && procFile(pid, 'environ').split('\0').includes(`POD_UID=${podUid}`))[0];
}

/** The token the kubelet mounted into a pod for its ServiceAccount: the real, pod-bound one. */
export function mountedToken(node: NodeState, podUid: string): string {
  const volumes = path.join(node.kubeletRootDir, 'pods', podUid, 'volumes', 'kubernetes.io~projected');
  const access = fs.readdirSync(volumes).find(v => v.startsWith('kube-api-access-'))!;
  return fs.readFileSync(path.join(volumes, access, 'token'), 'utf-8');
}

/** The CDI spec files the driver wrote for a claim (named after the claim's UID). */
export function cdiSpecsOf(node: NodeState, claimUid: string): string[] {
  return fs.readdirSync(node.cdiDir).filter(f => f.includes(claimUid));
}

/** A pod of the test workload with one claim from `template`; it prints its environment. */
export function claimPod(namespace: string, name: string, template: string, labels: { [key: string]: string } = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: claimPodSpec(template),
  };
}

export function claimPodSpec(template: string): any {
  return {
    terminationGracePeriodSeconds: 5,
    resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: template }],
    containers: [{
      name: 'workload',
      image: 'localhost/workload:cdk8s-dra',
      imagePullPolicy: 'Never',
      resources: { claims: [{ name: 'gpu' }] },
    }],
  };
}

export function claimTemplate(namespace: string, name: string, deviceClassName = EXAMPLE_DRIVER): any {
  return {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaimTemplate',
    metadata: { name, namespace },
    spec: { spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName } }] } } },
  };
}

/** Waits until a pod's container runs; returns when it was first seen running. */
export async function waitRunning(admin: KubeClient, namespace: string, name: string, timeoutMs = 120_000): Promise<number> {
  return admin.waitFor(`pod ${namespace}/${name} running`, async () => {
    const pod = await admin.get(`/api/v1/namespaces/${namespace}/pods/${name}`);
    return pod.status?.containerStatuses?.[0]?.state?.running ? Date.now() : undefined;
  }, timeoutMs, 100);
}

/** A pod's log, as the API server fetches it from the kubelet. */
export async function podLog(admin: KubeClient, namespace: string, name: string): Promise<string> {
  const res = await admin.expectOk('GET', `/api/v1/namespaces/${namespace}/pods/${name}/log`);
  return String(res.body);
}

/** The claim the resource-claim controller made for a pod's one claim. */
export async function claimOf(admin: KubeClient, namespace: string, podName: string): Promise<any> {
  const pod = await admin.get(`/api/v1/namespaces/${namespace}/pods/${podName}`);
  const claimName = pod.status.resourceClaimStatuses[0].resourceClaimName;
  return admin.get(`/apis/resource.k8s.io/v1/namespaces/${namespace}/resourceclaims/${claimName}`);
}

/** The node's ResourceSlices of the example driver: name → resourceVersion. */
export async function driverSlices(admin: KubeClient, node: NodeState): Promise<Map<string, any>> {
  const list = await admin.get(`/apis/resource.k8s.io/v1/resourceslices?fieldSelector=spec.nodeName=${node.nodeName},spec.driver=${EXAMPLE_DRIVER}`);
  return new Map((list.items as any[]).map(s => [s.metadata.name, s]));
}
