// Reads ../shared/fixtures: real `helm template` renderings of public DRA driver charts and upstream's e2e driver manifests.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { DraGoodPractices } from '../../src';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');

/** `RULE severity Kind ns/name` of each finding on one rendering. */
function pinned(rendering: string): string[] {
  return DraGoodPractices.checkPaths([path.join(FIXTURES, rendering)]).findings
    .map(f => `${f.ruleId} ${f.severity} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`);
}

function messageOf(rendering: string, ruleId: string): string {
  return DraGoodPractices.checkPaths([path.join(FIXTURES, rendering)]).findings.find(f => f.ruleId === ruleId)!.message;
}

describe('the checker on the vendor renderings in ../shared/fixtures', () => {
  test('every rendering is pinned', () => {
    expect(['dra-driver-cpu', 'dra-example-driver', 'dranet', 'intel-gpu-resource-driver', 'k8s-e2e-test-driver', 'nvidia-dra-driver-gpu'].map(r => path.join(FIXTURES, r)))
      .toEqual(fs.readdirSync(FIXTURES).sort().map(r => path.join(FIXTURES, r)));
  });

  test('dra-example-driver: its guard holds; it lacks the drain practices and monitoring, and over-grants claims to every node', () => {
    expect(pinned('dra-example-driver')).toEqual([
      // The chart's ClusterRole grants resourceclaims list/watch and resourceclaims/status update cluster-wide; the helper needs get.
      'DRA014 warning ClusterRoleBinding dra-example-driver/dra-example-driver-role-binding',
      // No karpenter.sh/disrupted toleration, no enable-ds-eviction: "false" annotation.
      'DRA004 warning DaemonSet dra-example-driver/dra-example-driver-kubeletplugin',
      // A chart ships no PrometheusRule.
      'DRA011 warning DaemonSet dra-example-driver/dra-example-driver-kubeletplugin',
      // No DRA008: its policy names the plugin's username, covers v1 and denies every write but its own node's.
      // No DRA013: maxSurge 1 is a seamless upgrade.
    ]);
  });

  test('dra-driver-cpu: no guard at all, claim status writable cluster-wide, no drain practices, no monitoring', () => {
    expect(pinned('dra-driver-cpu')).toEqual([
      // The chart ships no ValidatingAdmissionPolicy: every node's plugin may write every node's slices.
      'DRA008 error ClusterRoleBinding dra-driver-cpu',
      // resourceclaims/status patch and update cluster-wide (its resourceclaims/driver grant names dra.cpu, so no DRA015).
      'DRA014 warning ClusterRoleBinding dra-driver-cpu',
      'DRA004 warning DaemonSet dra-driver-cpu/dra-driver-cpu',
      'DRA011 warning DaemonSet dra-driver-cpu/dra-driver-cpu',
      // No DRA001: an HTTP liveness probe on the healthz port. No DRA003: system-node-critical.
    ]);
    expect(messageOf('dra-driver-cpu', 'DRA008')).toContain('no ValidatingAdmissionPolicy restricts its ResourceSlice writes to its own node');
  });

  test('dranet: no guard, no liveness probe (startup and readiness only), no priority, no drain practices, no monitoring', () => {
    expect(pinned('dranet')).toEqual([
      'DRA008 error ClusterRoleBinding dranet-sigs',
      'DRA014 warning ClusterRoleBinding dranet-sigs',
      // A startupProbe and a readinessProbe on /healthz, no livenessProbe: a plugin that hangs after starting stays.
      'DRA001 error DaemonSet dranet-sigs/dranet-sigs',
      // priorityClassName is not set.
      'DRA003 warning DaemonSet dranet-sigs/dranet-sigs',
      'DRA004 warning DaemonSet dranet-sigs/dranet-sigs',
      'DRA011 warning DaemonSet dranet-sigs/dranet-sigs',
    ]);
    expect(messageOf('dranet', 'DRA001')).toContain("kubelet plugin container 'dranet' has no livenessProbe");
  });

  test('intel-gpu-resource-driver: its guard holds; no node-critical priority, no drain practices, no monitoring', () => {
    expect(pinned('intel-gpu-resource-driver')).toEqual([
      // priorityClassName is not set.
      'DRA003 warning DaemonSet intel-gpu-resource-driver/intel-gpu-resource-driver-kubelet-plugin',
      'DRA004 warning DaemonSet intel-gpu-resource-driver/intel-gpu-resource-driver-kubelet-plugin',
      'DRA011 warning DaemonSet intel-gpu-resource-driver/intel-gpu-resource-driver-kubelet-plugin',
      // No DRA001: a gRPC liveness probe on 51516, the port --healthcheck-port serves. No DRA014: resourceclaims get only.
      // No DRA013: the default rollout replaces one node at a time.
    ]);
  });

  test('k8s-e2e-test-driver: its policies match only v1alpha3/v1beta1, which 1.34 does not serve, so none of them ever applies', () => {
    expect(pinned('k8s-e2e-test-driver')).toEqual([
      // Admin-access policies: resourceclaims and resourceclaimtemplates through v1alpha3 and v1beta1 only.
      'DRA012 error ValidatingAdmissionPolicy resourceclaim-policy.dra.example.com',
      'DRA012 error ValidatingAdmissionPolicy resourceclaimtemplate-policy.dra.example.com',
      // The plugin's guard matches resourceslices through v1alpha3 only: evaluated through v1, it admits every write.
      'DRA008 error ClusterRoleBinding dra-kubelet-plugin-role-binding',
      'DRA012 error ValidatingAdmissionPolicy resourceslices-policy-dra-kubelet-plugin',
    ]);
    expect(DraGoodPractices.checkPaths([path.join(FIXTURES, 'k8s-e2e-test-driver')]).findings
      .find(f => f.ruleId === 'DRA012' && f.object.name === 'resourceslices-policy-dra-kubelet-plugin')!.message)
      .toMatch(/the rule never matches, so this ResourceSlice guard never applies/);
    expect(messageOf('k8s-e2e-test-driver', 'DRA008')).toContain(
      'ValidatingAdmissionPolicy resourceslices-policy-dra-kubelet-plugin does not match them (its rules name resource.k8s.io v1alpha3');
  });

  test('nvidia-dra-driver-gpu: its guard names another ServiceAccount, its rollout takes every node at once, its plugin lists all claims', () => {
    expect(pinned('nvidia-dra-driver-gpu')).toEqual([
      // The policy's username is ...-service-account; the plugin runs as ...-service-account-kubeletplugin (NVIDIA issue #1317).
      'DRA008 error ClusterRoleBinding dra-driver-nvidia-gpu-clusterrole-binding-kubeletplugin',
      // The kubelet plugin's ClusterRole grants resourceclaims list and watch.
      'DRA014 warning ClusterRoleBinding dra-driver-nvidia-gpu-clusterrole-binding-kubeletplugin',
      'DRA004 warning DaemonSet nvidia-dra-driver-gpu/dra-driver-nvidia-gpu-kubelet-plugin',
      'DRA011 warning DaemonSet nvidia-dra-driver-gpu/dra-driver-nvidia-gpu-kubelet-plugin',
      // maxUnavailable: 100% without maxSurge.
      'DRA013 warning DaemonSet nvidia-dra-driver-gpu/dra-driver-nvidia-gpu-kubelet-plugin',
      // No DRA006: the controller Deployment in the driver's namespace writes claim templates, which it must.
    ]);
    expect(messageOf('nvidia-dra-driver-gpu', 'DRA008')).toContain('matchConditions leave out system:serviceaccount:nvidia-dra-driver-gpu:nvidia-dra-driver-gpu-dra-driver-nvidia-gpu-service-account-kubeletplugin');
  });

  test('nvidia-dra-driver-gpu with its username fixed: the policy still admits allNodes and nodeSelector slices from any node', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'nvidia-dra-driver-gpu', 'rendered-defaults.yaml'), 'utf-8');
    const fixed = text.replace('nvidia-dra-driver-gpu-dra-driver-nvidia-gpu-service-account"', 'nvidia-dra-driver-gpu-dra-driver-nvidia-gpu-service-account-kubeletplugin"');
    const report = DraGoodPractices.checkObjects(parseAllDocuments(fixed).map(d => d.toJSON()).filter(o => o));
    expect(report.findings.filter(f => f.ruleId === 'DRA008').map(f => f.message)).toEqual([expect.stringMatching(
      /validations let them through; admitted: CREATE\/UPDATE\/DELETE of an allNodes slice, CREATE\/UPDATE\/DELETE of a nodeSelector slice$/)]);
  });
});
