import { execFileSync } from 'child_process';
import { DriverDrainCheck } from '../../src';
import { expectValidObjects } from '../support/harness';

/** A ResourceClaim as the API returns it, allocated by the scheduler. */
function claim(name: string, options: { node?: string; driver?: string; reservedFor?: string[]; nodeSelector?: any; namespace?: string }): any {
  const nodeSelector = options.nodeSelector
    ?? (options.node === undefined ? undefined : {
      // What the scheduler writes for devices of a node-local ResourceSlice.
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [options.node] }] }],
    });
  return {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaim',
    metadata: { name, namespace: options.namespace ?? 'ml', uid: `uid-${name}` },
    spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } }] } },
    status: {
      allocation: {
        devices: { results: [{ request: 'gpu', driver: options.driver ?? 'gpu.example.com', pool: options.node ?? 'shared', device: 'gpu-0' }] },
        nodeSelector,
      },
      reservedFor: (options.reservedFor ?? []).map(pod => ({ resource: 'pods', name: pod, uid: `uid-${pod}` })),
    },
  };
}

const CLAIMS = [
  claim('in-use-here', { node: 'node-a', reservedFor: ['trainer-0'] }),
  claim('released-here', { node: 'node-a' }),
  claim('in-use-elsewhere', { node: 'node-b', reservedFor: ['trainer-1'] }),
  claim('nic-in-use-here', { node: 'node-a', driver: 'nic.example.com', reservedFor: ['router-0'], namespace: 'net' }),
  claim('network-attached', { reservedFor: ['trainer-2'] }),
  { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name: 'pending', namespace: 'ml' }, spec: { devices: {} } },
];

test('the sample claims are valid ResourceClaims', () => {
  expectValidObjects(CLAIMS);
});

test('blocking claims: allocated to the node and still reserved', () => {
  expect(DriverDrainCheck.blockingClaims({ nodeName: 'node-a' }, CLAIMS)).toEqual(['ml/in-use-here', 'net/nic-in-use-here']);
  expect(DriverDrainCheck.blockingClaims({ nodeName: 'node-b' }, CLAIMS)).toEqual(['ml/in-use-elsewhere']);
  expect(DriverDrainCheck.blockingClaims({ nodeName: 'node-c' }, CLAIMS)).toEqual([]);
});

test('driverName keeps only claims with a device of that driver', () => {
  expect(DriverDrainCheck.blockingClaims({ nodeName: 'node-a', driverName: 'gpu.example.com' }, CLAIMS)).toEqual(['ml/in-use-here']);
  expect(DriverDrainCheck.blockingClaims({ nodeName: 'node-a', driverName: 'nic.example.com' }, CLAIMS)).toEqual(['net/nic-in-use-here']);
});

test('label-based node selectors match with nodeLabels', () => {
  const zoned = claim('zoned', {
    reservedFor: ['trainer-3'],
    nodeSelector: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-1'] }] }] },
  });
  expect(DriverDrainCheck.blockingClaims({ nodeName: 'node-a', nodeLabels: { 'topology.kubernetes.io/zone': 'zone-1' } }, [zoned])).toEqual(['ml/zoned']);
  expect(DriverDrainCheck.blockingClaims({ nodeName: 'node-a', nodeLabels: { 'topology.kubernetes.io/zone': 'zone-2' } }, [zoned])).toEqual([]);
  expect(DriverDrainCheck.blockingClaims({ nodeName: 'node-a' }, [zoned])).toEqual([]);
});

test('node selector operators follow the Kubernetes semantics; an empty term matches nothing', () => {
  const withTerms = (name: string, ...terms: any[]) => claim(name, { reservedFor: ['p'], nodeSelector: { nodeSelectorTerms: terms } });
  const labels = { 'gpu.example.com/count': '8', 'pool': 'a100' };
  const claims = [
    withTerms('not-in', { matchExpressions: [{ key: 'pool', operator: 'NotIn', values: ['h100'] }] }),
    withTerms('exists', { matchExpressions: [{ key: 'pool', operator: 'Exists' }] }),
    withTerms('does-not-exist', { matchExpressions: [{ key: 'pool', operator: 'DoesNotExist' }] }),
    withTerms('gt', { matchExpressions: [{ key: 'gpu.example.com/count', operator: 'Gt', values: ['4'] }] }),
    withTerms('lt', { matchExpressions: [{ key: 'gpu.example.com/count', operator: 'Lt', values: ['4'] }] }),
    withTerms('empty-term', {}),
    withTerms('second-term', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-b'] }] },
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] }),
    withTerms('both-must-hold', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }], matchExpressions: [{ key: 'pool', operator: 'In', values: ['h100'] }] }),
  ];
  expect(DriverDrainCheck.blockingClaims({ nodeName: 'node-a', nodeLabels: labels }, claims))
    .toEqual(['ml/exists', 'ml/gt', 'ml/not-in', 'ml/second-term']);
});

describe('shell command for drain scripts', () => {
  /** Runs the command's jq stage on the claims, as if kubectl had returned them. */
  function runJq(command: string, nodeName: string): string[] {
    const prefix = 'kubectl get resourceclaims --all-namespaces -o json | ';
    expect(command.startsWith(prefix)).toBe(true);
    const out = execFileSync('bash', ['-c', command.slice(prefix.length)], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: CLAIMS }),
      env: { ...process.env, NODE_NAME: nodeName },
    });
    return out.toString('utf-8').split('\n').filter(line => line !== '').sort();
  }

  test('lists the same claims as blockingClaims for node-local allocations', () => {
    for (const nodeName of ['node-a', 'node-b', 'node-c']) {
      expect(runJq(DriverDrainCheck.shellCommand(), nodeName)).toEqual(DriverDrainCheck.blockingClaims({ nodeName }, CLAIMS));
    }
    expect(runJq(DriverDrainCheck.shellCommand('gpu.example.com'), 'node-a'))
      .toEqual(DriverDrainCheck.blockingClaims({ nodeName: 'node-a', driverName: 'gpu.example.com' }, CLAIMS));
  });
});

test('shellCommand refuses a driver name that would break out of the shell quoting', () => {
  expect(() => DriverDrainCheck.shellCommand("x' ; rm -rf / ; '")).toThrow(/driverName .* must be a DNS subdomain/);
});
