import { KubeClient } from './kube-client';

/** Node objects as upstream's DRA integration tests make them: Ready, with capacity, and no not-ready taint. */
export async function createNodes(admin: KubeClient, names: string[], labels: Record<string, string> = {}): Promise<void> {
  for (const name of names) {
    const created = await admin.request('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
    if (created.status === 409) {
      continue;
    }
    if (created.status !== 201) {
      throw new Error(`creating node ${name}: ${created.status} ${created.body?.message}`);
    }
    // Merge patches: controllers (the TTL controller's annotation) change the node meanwhile.
    await admin.expectOk('PATCH', `/api/v1/nodes/${name}/status`, {
      status: {
        capacity: { cpu: '100', memory: '1000Gi', pods: '500' },
        allocatable: { cpu: '100', memory: '1000Gi', pods: '500' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'no kubelet: a test node', lastHeartbeatTime: new Date().toISOString() }],
        phase: 'Running',
      },
    }, 'application/merge-patch+json');
    // TaintNodesByCondition adds node.kubernetes.io/not-ready on create; no kubelet will clear it.
    await admin.expectOk('PATCH', `/api/v1/nodes/${name}`, { spec: { taints: null } }, 'application/merge-patch+json');
  }
}

export async function deleteNodes(admin: KubeClient, names: string[]): Promise<void> {
  for (const name of names) {
    await admin.request('DELETE', `/api/v1/nodes/${name}`);
  }
}

/**
 * A token for `serviceAccount` bound to a Pod, as the kubelet mints it for the pod's containers:
 * the API server adds the pod's node (`authentication.kubernetes.io/node-name`) to its extra.
 */
export async function podBoundToken(
  admin: KubeClient, namespace: string, serviceAccount: string, pod: { name: string; uid: string },
): Promise<string> {
  const res = await admin.expectOk('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.name, uid: pod.uid } },
  });
  return res.body.status.token;
}

/** A token for `serviceAccount` bound to nothing. */
export async function serviceAccountToken(admin: KubeClient, namespace: string, serviceAccount: string): Promise<string> {
  const res = await admin.expectOk('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 },
  });
  return res.body.status.token;
}

/** Who the API server says a client is (SelfSubjectReview): username, groups, extra. */
export async function whoAmI(client: KubeClient): Promise<{ username: string; groups: string[]; extra: Record<string, string[]> }> {
  const res = await client.expectOk('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview',
  });
  return { extra: {}, ...res.body.status.userInfo };
}

/**
 * Creates a Pod from a DaemonSet's pod template, bound to `nodeName` (no kubelet runs it): the pod
 * a DaemonSet controller would place on that node.
 */
export async function createDaemonSetPod(admin: KubeClient, daemonSet: any, nodeName: string): Promise<{ name: string; uid: string }> {
  const name = `${daemonSet.metadata.name}-${nodeName}`.slice(0, 63).replace(/-+$/, '');
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: daemonSet.metadata.namespace, labels: daemonSet.spec.template.metadata?.labels },
    spec: { ...daemonSet.spec.template.spec, nodeName },
  };
  const res = await admin.expectOk('POST', `/api/v1/namespaces/${pod.metadata.namespace}/pods`, pod);
  return { name, uid: res.body.metadata.uid };
}

/** What a SubjectAccessReview asks about: a resource request. */
export interface ResourceAttributes {
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly verb: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** The real authorizer's answer for `user` in `groups`, through a SubjectAccessReview. */
export async function authorizerAllows(
  admin: KubeClient, subject: { user: string; groups: string[] }, attributes: ResourceAttributes,
): Promise<boolean> {
  const res = await admin.expectOk('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: { ...subject, resourceAttributes: attributes },
  });
  return res.body.status.allowed === true;
}

/**
 * Waits until the authorizer allows the request: RBAC objects take effect once the authorizer's
 * informers have them, a moment after they are stored.
 */
export async function waitUntilAllowed(
  admin: KubeClient, subject: { user: string; groups: string[] }, attributes: ResourceAttributes,
): Promise<void> {
  await admin.waitFor(`RBAC to allow ${subject.user} to ${attributes.verb} ${attributes.resource}`, async () =>
    await authorizerAllows(admin, subject, attributes) ? true : undefined);
}
