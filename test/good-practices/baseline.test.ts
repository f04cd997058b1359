import { installation, objectsOf } from './installation';
import { DraGoodPractices, Severity } from '../../src';
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
  test('lists eleven rules with stable ids in order, each citing the page and giving a fix', () => {
    const rules = DraGoodPractices.rules();
    expect(rules.map(r => r.id)).toEqual(['DRA001', 'DRA002', 'DRA003', 'DRA004', 'DRA005', 'DRA006', 'DRA007', 'DRA008', 'DRA009', 'DRA010', 'DRA011']);
    for (const rule of rules) {
      expect(rule.practice).toMatch(/"[A-Z][^"]+"/);
      expect(rule.fix.length).toBeGreaterThan(20);
    }
    expect(rules.filter(r => r.severity === Severity.WARNING).map(r => r.id)).toEqual(['DRA003', 'DRA004', 'DRA006', 'DRA011']);
  });
});

describe('options', () => {
  test.each([
    [{ minKubeletVersion: 'latest' }, /minKubeletVersion "latest" must be a Kubernetes version/],
    [{ scale: { nodes: 0, podCreationQps: 10 } }, /scale .* is not a valid ClusterScale \(ClusterScale: nodes 0 must be a positive finite number\)/],
    [{ adminSubjects: ['admins'] }, /adminSubjects "admins" must be User:<name>, Group:<name> or ServiceAccount:<namespace>:<name>/],
    [{ adminSubjects: ['ServiceAccount:argocd'] }, /adminSubjects "ServiceAccount:argocd" must be/],
    [{ driverServiceAccounts: ['just-a-name'] }, /driverServiceAccounts "just-a-name" must be <namespace>:<name>/],
  ])('rejects %j', (options, error) => {
    expect(() => DraGoodPractices.checkObjects([], options as any)).toThrow(error);
  });
});
