import { AdmissionRequest } from '../../cel/policy-evaluation';
import { RESOURCE_API_GROUP } from '../../rbac/api';

/** The claim the API server adds to a pod-bound ServiceAccount token: the pod's node. */
export const NODE_NAME_EXTRA = 'authentication.kubernetes.io/node-name';

/** The node the synthetic kubelet plugin pod runs on, and another node. */
export const OWN_NODE = 'node-a';
export const OTHER_NODE = 'node-b';

/** A ResourceSlice write a kubelet plugin might send, and whether a node-restricting guard must let it through. */
export interface SliceRequest {
  /** The slice written, as the report says it: `another node's slice`. */
  readonly target: string;
  /** True for the plugin's own node's slices: the guard must admit them, or the driver cannot publish. */
  readonly allowed: boolean;
  readonly request: AdmissionRequest;
}

const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE'] as const;

/** The slice's placement: its own node, another node, every node, or a node selector. */
const PLACEMENTS: ReadonlyArray<{ readonly what: string; readonly allowed: boolean; readonly spec: any }> = [
  { what: "its own node's slice", allowed: true, spec: { nodeName: OWN_NODE } },
  { what: "another node's slice", allowed: false, spec: { nodeName: OTHER_NODE } },
  { what: 'an allNodes slice', allowed: false, spec: { allNodes: true } },
  {
    what: 'a nodeSelector slice',
    allowed: false,
    spec: { nodeSelector: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [OTHER_NODE] }] }] } },
  },
];

/**
 * The ResourceSlice writes a kubelet plugin running as `username` on node `node-a` could
 * send through `version`: create, update and delete of its own node's slice (allowed),
 * of another node's, of an `allNodes` and of a `nodeSelector` slice (to be denied), and
 * an `allNodes` slice with a token that carries no node name (to be denied: a policy that
 * compares an absent node name with an absent `spec.nodeName` finds them equal).
 */
export function kubeletPluginSliceRequests(username: string, version: string): SliceRequest[] {
  const [, , namespace] = username.split(':');
  const userInfo = (node: string | undefined) => ({
    username,
    uid: '11111111-1111-1111-1111-111111111111',
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    extra: {
      'authentication.kubernetes.io/credential-id': ['JTI=22222222-2222-2222-2222-222222222222'],
      ...(node === undefined ? {} : {
        [NODE_NAME_EXTRA]: [node],
        'authentication.kubernetes.io/node-uid': ['33333333-3333-3333-3333-333333333333'],
        'authentication.kubernetes.io/pod-name': ['plugin-x7k2p'],
        'authentication.kubernetes.io/pod-uid': ['44444444-4444-4444-4444-444444444444'],
      }),
    },
  });
  const slice = (name: string, spec: any) => ({
    apiVersion: `${RESOURCE_API_GROUP}/${version}`,
    kind: 'ResourceSlice',
    metadata: { name },
    spec: { driver: 'gpu.example.com', pool: { name, generation: 1, resourceSliceCount: 1 }, ...spec, devices: [] },
  });
  const request = (operation: typeof OPERATIONS[number], object: any, node: string | undefined): AdmissionRequest => ({
    group: RESOURCE_API_GROUP,
    version,
    kind: 'ResourceSlice',
    resource: 'resourceslices',
    operation,
    name: object.metadata.name,
    userInfo: userInfo(node),
    object: operation === 'DELETE' ? null : object,
    oldObject: operation === 'CREATE' ? null : object,
  });
  const out: SliceRequest[] = [];
  PLACEMENTS.forEach((placement, i) => {
    for (const operation of OPERATIONS) {
      out.push({
        target: placement.what,
        allowed: placement.allowed,
        request: request(operation, slice(`slice-${i}`, placement.spec), OWN_NODE),
      });
    }
  });
  out.push({
    target: 'an allNodes slice with a token that carries no node name',
    allowed: false,
    request: request('CREATE', slice('slice-no-claim', { allNodes: true }), undefined),
  });
  return out;
}
