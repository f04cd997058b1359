import * as kplus from 'cdk8s-plus-28';
import { DraDriver, DraRbac, DraRbacRules } from '../../src';
import { LIVE_SOURCES } from '../../src/good-practices/inputs/live-sources';
import { findObjects, synthValid, testChart } from '../support/harness';
import { refusal } from '../support/refusal';

describe('DraRbac auditors: what cdk8s-dra check --cluster reads, and nothing more', () => {
  const chart = testChart();
  new DraRbac(chart, 'rbac', {
    admins: [kplus.Group.fromName(chart, 'admins', 'platform-admins')],
    auditors: [kplus.Group.fromName(chart, 'auditors', 'compliance')],
  });
  const objects = synthValid(chart);
  const auditorObjects = objects.filter(o => o.metadata.name === 'dra-auditor');

  test('a ClusterRole and binding, and a Role and binding in kube-system, for the auditors only', () => {
    expect(auditorObjects.map(o => `${o.kind} ${o.metadata.namespace ?? ''}`.trim())).toEqual([
      'ClusterRole', 'ClusterRoleBinding', 'Role kube-system', 'RoleBinding kube-system',
    ]);
    for (const binding of auditorObjects.filter(o => o.kind.endsWith('Binding'))) {
      expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'compliance' }]);
    }
  });

  test('list, the one verb the reader uses, on exactly the resources it lists, where it lists them', () => {
    const granted = (kind: string) => findObjects(auditorObjects, kind)[0].rules
      .flatMap((rule: any) => rule.resources.map((resource: string) => `${rule.apiGroups.join()}/${resource} ${rule.verbs.join()}`));
    expect(granted('ClusterRole').sort()).toEqual(LIVE_SOURCES.filter(s => s.namespace === undefined).map(s => `${s.group}/${s.resource} list`).sort());
    expect(granted('Role')).toEqual(['/pods list']);
    expect(DraRbacRules.auditor().flatMap(rule => rule.resources ?? [])).not.toContain('secrets');
  });

  test('no auditor objects unless auditors are given', () => {
    const plain = testChart();
    new DraRbac(plain, 'rbac', { admins: [kplus.Group.fromName(plain, 'admins', 'platform-admins')] });
    expect(synthValid(plain).filter(o => o.metadata.name === 'dra-auditor')).toEqual([]);
  });

  test('everyone (system:authenticated) and a driver\'s ServiceAccount are refused as auditors', () => {
    const everyone = testChart();
    expect(refusal(() => new DraRbac(everyone, 'rbac', {
      admins: [kplus.Group.fromName(everyone, 'admins', 'platform-admins')],
      auditors: [kplus.Group.fromName(everyone, 'all', 'system:authenticated')],
    })).prop).toMatch(/^auditors/);
    const withDriver = testChart();
    const driver = new DraDriver(withDriver, 'gpu', { driverName: 'gpu.example.com', image: 'registry.example.com/gpu:v1' });
    expect(refusal(() => new DraRbac(withDriver, 'rbac', {
      admins: [kplus.Group.fromName(withDriver, 'admins', 'platform-admins')],
      auditors: [kplus.User.fromName(withDriver, 'plugin', `system:serviceaccount:${driver.namespace}:${driver.serviceAccountName}`)],
      drivers: [driver],
    })).prop).toMatch(/^auditors/);
  });
});
