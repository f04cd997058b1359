import { boolean, listOf, object, optional, PropSchema, string } from '../common/prop-types';

/** The JavaScript types of the props (src/common/prop-types.ts); each part's own props are checked by its construct. */
export const DRA_CLUSTER_PROP_TYPES: PropSchema = {
  drivers: optional(listOf(object)),
  minKubeletVersion: optional(string),
  kubernetesVersion: optional(string),
  scale: optional(object),
  rbac: optional(object),
  controlPlane: optional(object),
  monitoring: optional(object),
  goodPractices: optional(boolean),
};
