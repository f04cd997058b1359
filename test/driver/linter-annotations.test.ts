import { kubeletPluginLinterAnnotations } from '../../src/common/linter-annotations';

describe('linter annotations of a kubelet plugin DaemonSet', () => {
  test('a privileged root plugin waives the privilege and root checks of both linters, with our reasons', () => {
    const annotations = kubeletPluginLinterAnnotations({ containers: [{ name: 'plugin', securityContext: { privileged: true } }] });
    expect(Object.values(annotations).filter((_, i) => Object.keys(annotations)[i].startsWith('checkov.io/skip')).map(v => v.split('=')[0]))
      .toEqual(['CKV_K8S_16', 'CKV_K8S_20', 'CKV_K8S_28', 'CKV_K8S_37', 'CKV_K8S_23', 'CKV_K8S_40', 'CKV_K8S_38']);
    expect(annotations['kube-score/ignore']).toBe('container-security-context-privileged,container-security-context-user-group-id');
    expect(annotations['cdk8s-dra/kube-score-ignore-reason']).toMatch(/runs privileged .*; a DRA kubelet plugin runs as root/);
    // Checkov splits the value on "=": a reason must not contain one.
    for (const [key, value] of Object.entries(annotations)) {
      if (key.startsWith('checkov.io/')) expect(value.split('=')).toHaveLength(2);
    }
  });

  test('waives only what the pod does: no privilege waiver without privileges, no root waiver for a non-root user', () => {
    const unprivileged = kubeletPluginLinterAnnotations({ containers: [{ name: 'plugin', securityContext: { privileged: false, runAsUser: 1000 } }] });
    expect(Object.values(unprivileged)).toEqual([expect.stringMatching(/^CKV_K8S_38=/)]);
    expect(unprivileged['kube-score/ignore']).toBeUndefined();
    const network = kubeletPluginLinterAnnotations({ hostNetwork: true, hostPid: true, securityContext: { runAsNonRoot: true }, containers: [{ name: 'plugin' }] });
    expect(Object.values(network).map(v => v.split('=')[0])).toEqual(['CKV_K8S_38', 'CKV_K8S_19', 'CKV_K8S_17']);
    // A pod that mounts no token itself (DraDriver's token per container) gets no token waiver.
    const perContainer = kubeletPluginLinterAnnotations({ automountServiceAccountToken: false, securityContext: { runAsNonRoot: true }, containers: [{ name: 'plugin' }] });
    expect(perContainer).toEqual({});
  });
});
