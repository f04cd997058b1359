import { DraGoodPractices } from '../../../src';
import { findings, messages } from '../check';
import { clusterRole, clusterRoleBinding, installation, NAMESPACE, objectsOf, roleBinding } from '../installation';

const sliceWriter = clusterRole('slice-writer', [
  { apiGroups: ['resource.k8s.io'], resources: ['resourceslices', 'deviceclasses'], verbs: ['get', 'create', 'patch'] },
]);
const claimUser = clusterRole('claim-user', [
  { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims', 'resourceclaimtemplates'], verbs: ['get', 'list', 'create', 'delete'] },
]);

describe('DRA005 writes on cluster-scoped DRA resources', () => {
  test('passes writes granted to admins and to the driver', () => {
    const objects = [
      ...objectsOf(installation()),
      sliceWriter,
      clusterRoleBinding('admins', 'slice-writer', [
        { kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'Group', name: 'platform-admins', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'User', name: 'system:kube-controller-manager', apiGroup: 'rbac.authorization.k8s.io' },
      ]),
    ];
    expect(messages('DRA005', objects, { adminSubjects: ['Group:platform-admins'] })).toEqual([]);
  });

  test('flags writes granted cluster-wide to anyone else, naming the resources, role and subject', () => {
    const objects = [
      sliceWriter,
      clusterRoleBinding('ci', 'slice-writer', [
        { kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' },
        { kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' },
      ]),
    ];
    expect(findings(objects)).toEqual(['DRA005 ClusterRoleBinding ci', 'DRA005 ClusterRoleBinding ci']);
    expect(messages('DRA005', objects)).toEqual([
      'grants write on deviceclasses, resourceslices (ClusterRole slice-writer) to Group system:authenticated, which is neither a cluster admin nor a DRA driver',
      'grants write on deviceclasses, resourceslices (ClusterRole slice-writer) to ServiceAccount ci/deployer, which is neither a cluster admin nor a DRA driver',
    ]);
  });

  test('reads a User named system:serviceaccount:<ns>:<name> as that ServiceAccount, not as a Kubernetes component', () => {
    const objects = [sliceWriter, clusterRoleBinding('ci', 'slice-writer', [{ kind: 'User', name: 'system:serviceaccount:ci:deployer', apiGroup: 'rbac.authorization.k8s.io' }])];
    expect(messages('DRA005', objects)).toEqual([expect.stringContaining('to ServiceAccount ci/deployer, which is neither a cluster admin nor a DRA driver')]);
    expect(messages('DRA005', objects, { driverServiceAccounts: ['ci:deployer'] })).toEqual([]);
  });

  test('flags devicetaintrules, and wildcard verbs', () => {
    const objects = [
      clusterRole('taints', [{ apiGroups: ['resource.k8s.io'], resources: ['devicetaintrules'], verbs: ['*'] }]),
      clusterRoleBinding('ops', 'taints', [{ kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' }]),
    ];
    expect(messages('DRA005', objects)).toEqual([expect.stringMatching(/^grants write on devicetaintrules \(ClusterRole taints\) to User bob/)]);
  });

  test('flags claim allocation writes (resourceclaims/binding) and any node\'s device status (resourceclaims/driver arbitrary-node) granted cluster-wide', () => {
    const objects = [
      clusterRole('claim-status', [
        { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/binding'], verbs: ['patch'] },
        { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/driver'], resourceNames: ['gpu.example.com'], verbs: ['arbitrary-node:update'] },
      ]),
      clusterRoleBinding('ops', 'claim-status', [{ kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' }]),
    ];
    expect(messages('DRA005', objects)).toEqual([
      'grants write on resourceclaims/binding (the allocation and reservations of every claim), resourceclaims/driver (device status of claims on any node) '
        + '(ClusterRole claim-status) to User bob, which is neither a cluster admin nor a DRA driver',
    ]);
  });

  test('passes the own-node device status verbs, and claim status granted to the scheduler', () => {
    const objects = [
      clusterRole('own-node-status', [{ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/driver'], resourceNames: ['gpu.example.com'], verbs: ['associated-node:patch'] }]),
      clusterRoleBinding('someone', 'own-node-status', [{ kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' }]),
      clusterRole('binder', [{ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/binding'], verbs: ['update', 'patch'] }]),
      clusterRoleBinding('scheduler', 'binder', [{ kind: 'User', name: 'system:kube-scheduler', apiGroup: 'rbac.authorization.k8s.io' }]),
    ];
    expect(messages('DRA005', objects)).toEqual([]);
  });

  test('passes read-only access, and RoleBindings (they cannot grant cluster-scoped resources)', () => {
    const objects = [
      clusterRole('reader', [{ apiGroups: ['resource.k8s.io'], resources: ['deviceclasses', 'resourceslices'], verbs: ['get', 'list', 'watch'] }]),
      clusterRoleBinding('everyone-reads', 'reader', [{ kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }]),
      sliceWriter,
      roleBinding('team', 'team-a', 'ClusterRole', 'slice-writer', [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }]),
    ];
    expect(messages('DRA005', objects)).toEqual([]);
  });

  test('counts a ServiceAccount as a driver when declared, or when a node-restricting ResourceSlice policy names it', () => {
    const objects = [sliceWriter, clusterRoleBinding('controller', 'slice-writer', [{ kind: 'ServiceAccount', name: 'gpu-controller', namespace: 'gpu-system' }])];
    expect(messages('DRA005', objects)).toHaveLength(1);
    expect(messages('DRA005', objects, { driverServiceAccounts: ['gpu-system:gpu-controller'] })).toEqual([]);

    const policy = installation().policy;
    policy.spec.matchConditions[0].expression = 'request.userInfo.username == "system:serviceaccount:gpu-system:gpu-controller"';
    expect(messages('DRA005', [...objects, policy])).toEqual([]);
  });
});

describe('DRA006 claims granted cluster-wide', () => {
  test('passes claims granted per namespace, and cluster-wide to admins and drivers', () => {
    const objects = [
      ...objectsOf(installation()),
      claimUser,
      roleBinding('team-a-claims', 'team-a', 'ClusterRole', 'claim-user', [{ kind: 'Group', name: 'team-a', apiGroup: 'rbac.authorization.k8s.io' }]),
      clusterRoleBinding('admins-claims', 'claim-user', [{ kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' }]),
    ];
    expect(messages('DRA006', objects)).toEqual([]);
  });

  test('flags claims granted cluster-wide to non-admins', () => {
    const objects = [
      claimUser,
      clusterRoleBinding('all-teams', 'claim-user', [{ kind: 'Group', name: 'developers', apiGroup: 'rbac.authorization.k8s.io' }]),
    ];
    expect(findings(objects)).toEqual(['DRA006 ClusterRoleBinding all-teams']);
    expect(messages('DRA006', objects)).toEqual([
      'grants write on resourceclaims, resourceclaimtemplates in every namespace (ClusterRole claim-user) to Group developers, '
        + 'which is neither a cluster admin nor a DRA driver (declare a driver\'s controller with --driver-sa)',
    ]);
  });

  test('passes read-only cluster-wide access (the viewer persona: dashboards, SREs)', () => {
    const objects = [
      clusterRole('claim-reader', [{ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims'], verbs: ['get', 'list', 'watch'] }]),
      clusterRoleBinding('dashboard', 'claim-reader', [{ kind: 'ServiceAccount', name: 'dashboard', namespace: 'tools' }]),
    ];
    expect(messages('DRA006', objects)).toEqual([]);
  });

  test('flags a single write verb granted cluster-wide', () => {
    const objects = [
      clusterRole('claim-deleter', [{ apiGroups: ['resource.k8s.io'], resources: ['resourceclaimtemplates'], verbs: ['get', 'delete'] }]),
      clusterRoleBinding('cleanup', 'claim-deleter', [{ kind: 'ServiceAccount', name: 'cleanup', namespace: 'tools' }]),
    ];
    expect(messages('DRA006', objects)).toEqual([expect.stringMatching(/^grants write on resourceclaimtemplates in every namespace .* to ServiceAccount tools\/cleanup/)]);
  });

  describe("a driver's controller, which creates claim templates in users' namespaces", () => {
    const templateWriter = clusterRole('gpu-controller', [{ apiGroups: ['resource.k8s.io'], resources: ['resourceclaimtemplates'], verbs: ['get', 'create', 'delete'] }]);
    const binding = clusterRoleBinding('gpu-controller', 'gpu-controller', [{ kind: 'ServiceAccount', name: 'gpu-controller', namespace: 'gpu-system' }]);
    const deployment = (namespace: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gpu-controller', namespace },
      spec: {
        selector: { matchLabels: { app: 'gpu-controller' } },
        template: { metadata: { labels: { app: 'gpu-controller' } }, spec: { serviceAccountName: 'gpu-controller', containers: [{ name: 'controller', image: 'registry.example.com/gpu-controller:v1' }] } },
      },
    });

    test('is recognised by shape: a Deployment in the kubelet plugin\'s namespace running as the bound ServiceAccount', () => {
      const objects = [...objectsOf(installation()), templateWriter, binding, deployment(NAMESPACE)];
      expect(messages('DRA006', objects)).toEqual([]);
    });

    test('is flagged elsewhere, and the fix names --driver-sa, which clears it', () => {
      const objects = [...objectsOf(installation()), templateWriter, binding, deployment('tools')];
      const report = DraGoodPractices.checkObjects(objects);
      expect(report.findings.map(f => `${f.ruleId} ${f.object.name}`)).toEqual(['DRA006 gpu-controller']);
      expect(report.findings[0].fix).toContain('--driver-sa <namespace>:<name>');
      expect(messages('DRA006', objects, { driverServiceAccounts: ['gpu-system:gpu-controller'] })).toEqual([]);
    });

    test('is recognised when it writes its driver\'s device status on any node (DraRbacRules.driverController), which DRA005 then leaves alone', () => {
      const statusWriter = clusterRole('gpu-controller', [{
        apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/driver'], resourceNames: ['gpu.example.com'], verbs: ['arbitrary-node:update', 'arbitrary-node:patch'],
      }]);
      expect(messages('DRA005', [...objectsOf(installation()), statusWriter, binding, deployment(NAMESPACE)])).toEqual([]);
      expect(messages('DRA005', [...objectsOf(installation()), statusWriter, binding, deployment('tools')])).toEqual([
        expect.stringMatching(/^grants write on resourceclaims\/driver \(device status of claims on any node\) .* to ServiceAccount gpu-system\/gpu-controller/),
      ]);
    });

    test('without a kubelet plugin in its namespace, a Deployment is not taken for a driver', () => {
      expect(messages('DRA006', [templateWriter, binding, deployment(NAMESPACE)])).toHaveLength(1);
    });
  });
});

