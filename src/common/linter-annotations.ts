/**
 * The findings of the manifest linters admins already run (Checkov, kube-score) that are
 * the nature of a DRA kubelet plugin, answered on the DaemonSet with each linter's own
 * documented annotation and our reason, so a user's CI lint passes on this library's YAML:
 * Checkov's `checkov.io/skip<N>: <check>=<reason>`, kube-score's
 * `kube-score/ignore: <check>,...` (which takes no reason: ours goes in
 * `cdk8s-dra/kube-score-ignore-reason`). Findings that are not inherent are not waived.
 */

import * as k8s from '../imports/k8s';

/** One trait of a kubelet plugin pod that linters flag, and why the plugin has it. */
interface InherentTrait {
  readonly applies: (podSpec: k8s.PodSpec) => boolean;
  readonly checkov: readonly string[];
  readonly kubeScore: readonly string[];
  /** Why; no `=` (Checkov splits the annotation value on it). */
  readonly reason: string;
}

const containersOf = (podSpec: k8s.PodSpec): k8s.Container[] => [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])];

const INHERENT_TRAITS: readonly InherentTrait[] = [
  {
    applies: podSpec => containersOf(podSpec).some(c => c?.securityContext?.privileged === true),
    checkov: ['CKV_K8S_16', 'CKV_K8S_20', 'CKV_K8S_28', 'CKV_K8S_37'],
    kubeScore: ['container-security-context-privileged'],
    reason: 'a DRA kubelet plugin prepares devices on its node: it runs privileged to reach device files and the host paths the kubelet and CDI use',
  },
  {
    applies: podSpec => containersOf(podSpec).some(c => {
      const user = c?.securityContext?.runAsUser ?? podSpec?.securityContext?.runAsUser;
      const nonRoot = c?.securityContext?.runAsNonRoot ?? podSpec?.securityContext?.runAsNonRoot;
      return user === 0 || (user === undefined && nonRoot !== true);
    }),
    checkov: ['CKV_K8S_23', 'CKV_K8S_40'],
    kubeScore: ['container-security-context-user-group-id'],
    reason: 'a DRA kubelet plugin runs as root: the kubelet plugin registration and plugin directories it creates its sockets in belong to root',
  },
  {
    // With the token per container the pod mounts none itself, and Checkov has nothing to report.
    applies: podSpec => podSpec?.automountServiceAccountToken !== false,
    checkov: ['CKV_K8S_38'],
    kubeScore: [],
    reason: 'a DRA kubelet plugin calls the API server: it publishes its node\'s ResourceSlices and reads the claims it prepares',
  },
  {
    applies: podSpec => podSpec?.hostNetwork === true,
    checkov: ['CKV_K8S_19'],
    kubeScore: [],
    reason: 'the driver\'s own deployment runs this DRA kubelet plugin in the node\'s network namespace (DraDriver hostNetwork)',
  },
  {
    applies: podSpec => podSpec.hostPid === true,
    checkov: ['CKV_K8S_17'],
    kubeScore: [],
    reason: 'the driver\'s own deployment runs this DRA kubelet plugin in the node\'s PID namespace (DraDriver hostPID)',
  },
];

/** The annotation kube-score reads; it takes check ids only. */
export const KUBE_SCORE_IGNORE_ANNOTATION = 'kube-score/ignore';
/** Where our reason for the kube-score ignores goes. */
export const KUBE_SCORE_REASON_ANNOTATION = 'cdk8s-dra/kube-score-ignore-reason';

/** The linter annotations for a kubelet plugin DaemonSet with pod spec `podSpec` (its JSON). */
export function kubeletPluginLinterAnnotations(podSpec: k8s.PodSpec): { [key: string]: string } {
  const traits = INHERENT_TRAITS.filter(trait => trait.applies(podSpec));
  const annotations: { [key: string]: string } = {};
  traits.flatMap(trait => trait.checkov.map(check => `${check}=${trait.reason}`))
    .forEach((value, i) => { annotations[`checkov.io/skip${i + 1}`] = value; });
  const kubeScore = traits.filter(trait => trait.kubeScore.length > 0);
  if (kubeScore.length > 0) {
    annotations[KUBE_SCORE_IGNORE_ANNOTATION] = kubeScore.flatMap(trait => trait.kubeScore).join(',');
    annotations[KUBE_SCORE_REASON_ANNOTATION] = kubeScore.map(trait => trait.reason).join('; ');
  }
  return annotations;
}
