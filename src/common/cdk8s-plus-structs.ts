import { k8s as plus, PercentOrAbsolute } from 'cdk8s-plus-28';
import * as k8s from '../imports/k8s';

/**
 * Public props take cdk8s-plus-28's structs, generated from the Kubernetes 1.28 schema; the
 * objects are built with src/imports/k8s, generated from the newest schema. A 1.28 struct is
 * the newer one with fewer fields, and both generations' Quantity and IntOrString keep their
 * value in `.value`, all that the newer conversion reads: so each function here is the
 * compiler checking that the 1.28 type fits the newer one (the build stops if a Kubernetes
 * release changes a field's type), and the value passes on as it is.
 */
export const fromCdk8sPlus = {
  envVars: (list: plus.EnvVar[]): k8s.EnvVar[] => list,
  volumes: (list: plus.Volume[]): k8s.Volume[] => list,
  volumeMounts: (list: plus.VolumeMount[]): k8s.VolumeMount[] => list,
  tolerations: (list: plus.Toleration[]): k8s.Toleration[] => list,
  containerPorts: (list: plus.ContainerPort[]): k8s.ContainerPort[] => list,
  policyRules: (list: plus.PolicyRule[]): k8s.PolicyRule[] => list,
  affinity: (affinity: plus.Affinity): k8s.Affinity => affinity,
  securityContext: (context: plus.SecurityContext): k8s.SecurityContext => context,
  podSecurityContext: (context: plus.PodSecurityContext): k8s.PodSecurityContext => context,
  resources: (resources: plus.ResourceRequirements): k8s.ResourceRequirements => resources,
  /** `PercentOrAbsolute` holds `10%` or `1` in `.value`, as an IntOrString takes it. */
  intOrString: (value: PercentOrAbsolute): k8s.IntOrString => (typeof value.value === 'number'
    ? k8s.IntOrString.fromNumber(value.value)
    : k8s.IntOrString.fromString(value.value)),
};
