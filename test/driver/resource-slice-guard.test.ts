import { ServiceAccount } from 'cdk8s-plus-28';
import { ResourceSliceGuard } from '../../src';
import { findObject, synthValid, testChart } from '../support/harness';

test('guards a ServiceAccount made elsewhere, reading its name and namespace from the object', () => {
  const chart = testChart();
  const serviceAccount = new ServiceAccount(chart, 'sa', { metadata: { name: 'nvidia-dra-driver-gpu-service-account-kubeletplugin', namespace: 'nvidia-dra-driver-gpu' } });
  const guard = new ResourceSliceGuard(chart, 'guard', { serviceAccount, name: 'nvidia-resourceslices' });
  const objects = synthValid(chart);
  const expected = 'system:serviceaccount:nvidia-dra-driver-gpu:nvidia-dra-driver-gpu-service-account-kubeletplugin';
  expect(guard.username).toBe(expected);
  expect(findObject(objects, 'ValidatingAdmissionPolicy', 'nvidia-resourceslices').spec.matchConditions[0].expression)
    .toBe(`request.userInfo.username == "${expected}"`);
  expect(findObject(objects, 'ValidatingAdmissionPolicyBinding', 'nvidia-resourceslices').spec.policyName).toBe(guard.policyName);
});

test('refuses a ServiceAccount without an explicit namespace, and a bad name', () => {
  const chart = testChart();
  const serviceAccount = new ServiceAccount(chart, 'sa', { metadata: { name: 'plugin' } });
  expect(() => new ResourceSliceGuard(chart, 'guard', { serviceAccount, name: 'x' }))
    .toThrow("ResourceSliceGuard 'guard' (test/guard): serviceAccount 'plugin' must have an explicit metadata.namespace");
  const namespaced = new ServiceAccount(chart, 'sa2', { metadata: { name: 'plugin', namespace: 'dra' } });
  expect(() => new ResourceSliceGuard(chart, 'guard2', { serviceAccount: namespaced, name: 'Bad_Name' }))
    .toThrow("ResourceSliceGuard 'guard2' (test/guard2): name 'Bad_Name' must be a DNS subdomain");
});

test('guards an imported ServiceAccount by the namespace it names, and refuses one whose namespace reads default', () => {
  const chart = testChart();
  const imported = ServiceAccount.fromServiceAccountName(chart, 'imported', 'plugin', { namespaceName: 'dra' });
  expect(new ResourceSliceGuard(chart, 'guard', { serviceAccount: imported, name: 'dra-resourceslices' }).username)
    .toBe('system:serviceaccount:dra:plugin');
  const withoutNamespace = ServiceAccount.fromServiceAccountName(chart, 'imported-default', 'plugin');
  expect(() => new ResourceSliceGuard(chart, 'guard2', { serviceAccount: withoutNamespace, name: 'x' }))
    .toThrow("ResourceSliceGuard 'guard2' (test/guard2): serviceAccount 'plugin' comes from ServiceAccount.fromServiceAccountName");
});
