import { createNodes, deleteNodes } from './identities';
import { KubeClient } from './kube-client';

/** A DRA workload on a control plane without kubelets: fake nodes with devices, pods that claim them. */
export interface DraWorkloadOptions {
  /** Prefix of every cluster-scoped name (nodes, slices, class, driver): the control plane may be shared. */
  readonly prefix: string;
  readonly nodes: number;
  readonly devicesPerNode: number;
}

const RESOURCE = '/apis/resource.k8s.io/v1';

/**
 * Fake Nodes, one ResourceSlice of devices per node published for a driver of our own, a
 * DeviceClass selecting that driver, and a namespace with a ResourceClaimTemplate. Pods made
 * by `createPods` get a claim each from the template (kube-controller-manager's ResourceClaim
 * controller), which kube-scheduler allocates before it binds the pod. No kubelet runs: the
 * pods stay Pending with spec.nodeName set.
 */
export class DraWorkload {
  /** Creates the nodes, devices, class, namespace and template; waits for the namespace's ServiceAccount. */
  public static async create(admin: KubeClient, options: DraWorkloadOptions): Promise<DraWorkload> {
    const workload = new DraWorkload(admin, options);
    await workload.setUp();
    return workload;
  }

  public readonly namespace: string;
  public readonly driver: string;
  public readonly nodeNames: string[];
  private readonly deviceClass: string;
  private readonly pods: string[] = [];

  private constructor(private readonly admin: KubeClient, private readonly options: DraWorkloadOptions) {
    this.namespace = options.prefix;
    this.driver = `${options.prefix}.example.com`;
    this.deviceClass = this.driver;
    this.nodeNames = Array.from({ length: options.nodes }, (_, i) => `${options.prefix}-node-${i}`);
  }

  /** Creates `count` pods at once, each with one claim from the template. */
  public async createPods(count: number): Promise<string[]> {
    const names = Array.from({ length: count }, (_, i) => `pod-${this.pods.length + i}`);
    await Promise.all(names.map(name => this.admin.expectOk('POST', `/api/v1/namespaces/${this.namespace}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        resourceClaims: [{ name: 'device', resourceClaimTemplateName: 'device' }],
        containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { claims: [{ name: 'device' }] } }],
      },
    })));
    this.pods.push(...names);
    return names;
  }

  /** The pods kube-scheduler has bound so far. */
  public async boundPods(): Promise<number> {
    const list = await this.admin.get(`/api/v1/namespaces/${this.namespace}/pods`);
    return (list.items as any[]).filter(p => p.spec.nodeName).length;
  }

  /** Waits until every pod created so far is bound (its claim allocated, spec.nodeName set). */
  public async waitAllBound(timeoutMs: number): Promise<void> {
    await this.admin.waitFor(`${this.pods.length} pods in ${this.namespace} bound`, async () =>
      (await this.boundPods()) === this.pods.length ? true : undefined, timeoutMs, 1_000);
  }

  /** Deletes everything it made; pods at once (no kubelet would confirm a graceful deletion). */
  public async delete(): Promise<void> {
    await Promise.all(this.pods.map(name =>
      this.admin.request('DELETE', `/api/v1/namespaces/${this.namespace}/pods/${name}?gracePeriodSeconds=0`)));
    await this.admin.request('DELETE', `/api/v1/namespaces/${this.namespace}`);
    await Promise.all(this.nodeNames.map(node => this.admin.request('DELETE', `${RESOURCE}/resourceslices/${node}`)));
    await this.admin.request('DELETE', `${RESOURCE}/deviceclasses/${this.deviceClass}`);
    await deleteNodes(this.admin, this.nodeNames);
  }

  private async setUp(): Promise<void> {
    const { admin, namespace } = this;
    await createNodes(admin, this.nodeNames);
    await admin.expectOk('POST', `${RESOURCE}/deviceclasses`, {
      apiVersion: 'resource.k8s.io/v1',
      kind: 'DeviceClass',
      metadata: { name: this.deviceClass },
      spec: { selectors: [{ cel: { expression: `device.driver == "${this.driver}"` } }] },
    });
    for (const node of this.nodeNames) {
      await admin.expectOk('POST', `${RESOURCE}/resourceslices`, {
        apiVersion: 'resource.k8s.io/v1',
        kind: 'ResourceSlice',
        metadata: { name: node },
        spec: {
          driver: this.driver,
          nodeName: node,
          pool: { name: node, generation: 1, resourceSliceCount: 1 },
          devices: Array.from({ length: this.options.devicesPerNode }, (_, i) => ({ name: `device-${i}` })),
        },
      });
    }
    await admin.expectOk('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    await admin.expectOk('POST', `${RESOURCE}/namespaces/${namespace}/resourceclaimtemplates`, {
      apiVersion: 'resource.k8s.io/v1',
      kind: 'ResourceClaimTemplate',
      metadata: { name: 'device' },
      spec: { spec: { devices: { requests: [{ name: 'device', exactly: { deviceClassName: this.deviceClass } }] } } },
    });
    // The ServiceAccount admission plugin refuses pods until the namespace's default ServiceAccount exists.
    await admin.waitFor(`the default ServiceAccount of ${namespace}`, async () =>
      (await admin.request('GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`)).status === 200 ? true : undefined, 180_000, 500);
  }
}
