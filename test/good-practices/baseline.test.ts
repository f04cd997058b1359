import { installation, objectsOf } from './installation';
import { DraGoodPractices, FindingSeverity } from '../../src';
import { expectValidObjects } from '../support/harness';

describe('the compliant installation the rule tests start from', () => {
  test('is made of objects valid against the official schemas', () => {
    expectValidObjects(objectsOf(installation()));
  });

  test('has no findings when the cluster scale and kubelet version are declared', () => {
    const report = DraGoodPractices.checkObjects(objectsOf(installation()), {
      minKubeletVersion: '1.34',
      scale: { nodes: 100, podCreationQps: 10 },
    });
    expect(report.findings).toEqual([]);
    expect(report.objectCount).toBe(7);
  });

  test('says which rules could not run without the scale and kubelet version, instead of passing silently', () => {
    const report = DraGoodPractices.checkObjects(objectsOf(installation()));
    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([
      expect.stringMatching(/^DRA002: DaemonSet gpu-system\/gpu-kubelet-plugin uses maxSurge 1 .*--min-kubelet-version/),
      expect.stringMatching(/^DRA009 did not run: no cluster scale declared/),
    ]);
  });
});

describe('DraGoodPractices.rules', () => {
  test('lists eighteen rules with stable ids in order, each citing the page and giving a fix', () => {
    const rules = DraGoodPractices.rules();
    expect(rules.map(r => r.id)).toEqual([
      'DRA001', 'DRA002', 'DRA003', 'DRA004', 'DRA005', 'DRA006', 'DRA007', 'DRA008', 'DRA009', 'DRA010', 'DRA011', 'DRA012', 'DRA013', 'DRA014', 'DRA015', 'DRA016',
      'DRA017', 'DRA018',
    ]);
    for (const rule of rules) {
      expect(rule.practice).toMatch(/"[A-Z][^"]+"/);
      expect(rule.fix.length).toBeGreaterThan(20);
    }
    expect(rules.filter(r => r.severity === FindingSeverity.WARNING).map(r => r.id)).toEqual(['DRA003', 'DRA004', 'DRA006', 'DRA011', 'DRA013', 'DRA014', 'DRA015', 'DRA016']);
  });
});

describe('options', () => {
  test.each([
    [{ minKubeletVersion: 'latest' }, /minKubeletVersion 'latest' must be a Kubernetes version/],
    [{ scale: { nodes: 0, podCreationQps: 10 } }, /^DraGoodPractices: scale.nodes 0 must be a positive finite number$/],
    [{ adminSubjects: ['admins'] }, /adminSubjects 'admins' must be User:<name>, Group:<name> or ServiceAccount:<namespace>:<name>/],
    [{ adminSubjects: ['ServiceAccount:argocd'] }, /adminSubjects 'ServiceAccount:argocd' must be/],
    [{ driverServiceAccounts: ['just-a-name'] }, /driverServiceAccounts 'just-a-name' must be <namespace>:<name>/],
    // A namespace is a DNS label: no dots, which a ServiceAccount name may have.
    [{ driverServiceAccounts: ['gpu.system:plugin'] }, /driverServiceAccounts 'gpu.system:plugin' must be <namespace>:<name>/],
    [{ driverServiceAccounts: ['gpu-system:-plugin'] }, /driverServiceAccounts 'gpu-system:-plugin' must be <namespace>:<name>/],
  ])('rejects %j', (options, error) => {
    expect(() => DraGoodPractices.checkObjects([], options as any)).toThrow(error);
  });
});

describe('suppression annotations (for YAML the user does not generate)', () => {
  test('cdk8s-dra/suppress-<ruleId> accepts that rule on that object, with its reason', () => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.tolerations = [];
    inst.daemonSet.metadata.annotations = { 'cdk8s-dra/suppress-DRA004': ' no autoscaler here ' };
    const report = DraGoodPractices.checkObjects(objectsOf(inst));
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([{ finding: expect.objectContaining({ ruleId: 'DRA004' }), reason: 'no autoscaler here' }]);
  });

  test('an annotation without a reason, or for an unknown rule, is ignored with a note', () => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.tolerations = [];
    inst.daemonSet.metadata.annotations = { 'cdk8s-dra/suppress-DRA004': '', 'cdk8s-dra/suppress-DRA404': 'typo' };
    const report = DraGoodPractices.checkObjects(objectsOf(inst));
    expect(report.findings.map(f => f.ruleId)).toEqual(['DRA004']);
    expect(report.notes.slice(0, 2)).toEqual([
      'annotation cdk8s-dra/suppress-DRA004 on DaemonSet gpu-system/gpu-kubelet-plugin gives no reason: ignored (the reason is mandatory)',
      expect.stringMatching(/^annotation cdk8s-dra\/suppress-DRA404 on DaemonSet gpu-system\/gpu-kubelet-plugin names no rule \(DRA001, .*\): ignored$/),
    ]);
  });
});

describe('defaultNamespace', () => {
  test('objects without a namespace are matched as if applied to it', () => {
    const inst = installation();
    delete inst.daemonSet.metadata.namespace;
    // Without the policy that names it, the binding's subject is a driver only if the DaemonSet runs as it.
    const objects = objectsOf(inst).filter(o => o !== inst.policy && o !== inst.policyBinding);
    // In 'default', the DaemonSet runs as default/gpu-kubelet-plugin: gpu-system/gpu-kubelet-plugin is no driver, and may not write slices.
    expect(DraGoodPractices.checkObjects(objects).findings.map(f => f.ruleId)).toEqual(['DRA005']);
    // In gpu-system, it is the driver's ServiceAccount, which then needs the node-restricting policy.
    expect(DraGoodPractices.checkObjects(objects, { defaultNamespace: 'gpu-system' }).findings.map(f => f.ruleId)).toEqual(['DRA008']);
    expect(() => DraGoodPractices.checkObjects([], { defaultNamespace: 'Gpu_System' })).toThrow(/defaultNamespace 'Gpu_System' must be a DNS label/);
  });
});
