import { findings, messages } from '../check';
import { installation, objectsOf } from '../installation';

const deviceClass = (apiVersion: string) => ({ apiVersion, kind: 'DeviceClass', metadata: { name: 'gpu.example.com' }, spec: { selectors: [] } });

describe('DRA012 API versions the target Kubernetes serves', () => {
  test('passes resource.k8s.io/v1 and admissionregistration.k8s.io/v1 objects on 1.34', () => {
    expect(messages('DRA012', [...objectsOf(installation()), deviceClass('resource.k8s.io/v1')])).toEqual([]);
  });

  test('flags beta and alpha versions, which 1.34 does not serve by default, naming the served one', () => {
    expect(findings([deviceClass('resource.k8s.io/v1beta1')])).toEqual(['DRA012 DeviceClass gpu.example.com']);
    expect(messages('DRA012', [deviceClass('resource.k8s.io/v1beta2')])).toEqual([
      'resource.k8s.io/v1beta2 DeviceClass is not served by Kubernetes 1.34 by default (beta and alpha versions need --runtime-config, '
        + 'and later releases remove them); use resource.k8s.io/v1',
    ]);
    const taints = { apiVersion: 'resource.k8s.io/v1alpha3', kind: 'DeviceTaintRule', metadata: { name: 't' }, spec: {} };
    expect(messages('DRA012', [taints])).toEqual([expect.stringMatching(/; Kubernetes 1.34 has no GA version of DeviceTaintRule$/)]);
  });

  test('follows the declared Kubernetes version: MutatingAdmissionPolicy is v1 from 1.36', () => {
    const mutating = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingAdmissionPolicy', metadata: { name: 'm' }, spec: {} };
    expect(messages('DRA012', [mutating])).toHaveLength(1);
    expect(messages('DRA012', [mutating], { kubernetesVersion: '1.35' })).toHaveLength(1);
    expect(messages('DRA012', [mutating], { kubernetesVersion: '1.36' })).toEqual([]);
  });

  test('follows the declared Kubernetes version: DeviceTaintRule is served as v1 from 1.37, with the served version named before', () => {
    const taints = (apiVersion: string) => ({ apiVersion, kind: 'DeviceTaintRule', metadata: { name: 't' }, spec: {} });
    expect(messages('DRA012', [taints('resource.k8s.io/v1')], { kubernetesVersion: '1.36' })).toEqual([
      expect.stringMatching(/^resource.k8s.io\/v1 DeviceTaintRule is not served by Kubernetes 1.36 by default .*; Kubernetes 1.36 has no GA version of DeviceTaintRule$/),
    ]);
    expect(messages('DRA012', [taints('resource.k8s.io/v1')], { kubernetesVersion: '1.37' })).toEqual([]);
    expect(messages('DRA012', [taints('resource.k8s.io/v1beta2')], { kubernetesVersion: '1.37' })).toEqual([
      expect.stringMatching(/; use resource.k8s.io\/v1$/),
    ]);
  });

  test('on 1.38 says resource.k8s.io/v1beta1 is removed, which --runtime-config does not bring back; v1beta2 is still only off by default', () => {
    expect(messages('DRA012', [deviceClass('resource.k8s.io/v1beta1')], { kubernetesVersion: '1.38' })).toEqual([
      'resource.k8s.io/v1beta1 DeviceClass is not served by Kubernetes 1.38: Kubernetes 1.38 removed resource.k8s.io/v1beta1, which no --runtime-config brings back; '
        + 'use resource.k8s.io/v1',
    ]);
    expect(messages('DRA012', [deviceClass('resource.k8s.io/v1beta1')], { kubernetesVersion: '1.37' })).toEqual([expect.stringMatching(/need --runtime-config/)]);
    expect(messages('DRA012', [deviceClass('resource.k8s.io/v1beta2')], { kubernetesVersion: '1.38' })).toEqual([expect.stringMatching(/need --runtime-config/)]);
    expect(messages('DRA012', [deviceClass('resource.k8s.io/v1')], { kubernetesVersion: '1.38' })).toEqual([]);
  });

  test('flags an admission rule on DRA resources that names only versions the target does not serve: it never matches', () => {
    const inst = installation();
    inst.policy.spec.matchConstraints.resourceRules[0].apiVersions = ['v1alpha3', 'v1beta1'];
    expect(messages('DRA012', objectsOf(inst))).toEqual([
      'spec.matchConstraints.resourceRules[0] names resource.k8s.io v1alpha3, v1beta1 for resourceslices, none of which Kubernetes 1.34 serves by default '
        + '(it serves resourceslices through v1): the rule never matches, so this ResourceSlice guard never applies: '
        + 'every ResourceSlice write it should confine to the writer\'s node is admitted',
    ]);
    // Another rule of the guard that names v1: the guard still applies, and the message says only that the rule never matches.
    inst.policy.spec.matchConstraints.resourceRules.push({ ...inst.policy.spec.matchConstraints.resourceRules[0], apiVersions: ['v1'] });
    expect(messages('DRA012', objectsOf(inst))).toEqual([expect.stringMatching(/through v1\): the rule never matches$/)]);
    inst.policy.spec.matchConstraints.resourceRules.pop();
    inst.policy.spec.matchConstraints.resourceRules[0].apiVersions = ['*'];
    expect(messages('DRA012', objectsOf(inst))).toEqual([]);
  });
});
