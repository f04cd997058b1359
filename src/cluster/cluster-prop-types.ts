import { boolean, checkedByItsConstruct, listOf, optional, string, struct, StructType } from '../common/prop-types';
import { CLUSTER_SCALE, DRA_TUNED_CONTROL_PLANE_PROPS } from '../control-plane/tuned-control-plane-prop-types';
import { DRA_DRIVER_PROPS } from '../driver/driver-prop-types';
import { DRA_GOOD_PRACTICES_ADMISSION_PROPS } from '../good-practices/admission/admission-prop-types';
import { DRA_MONITORING_PROPS } from '../monitoring/monitoring-prop-types';
import { DRA_RBAC_PROPS } from '../rbac/rbac-prop-types';

/**
 * The JavaScript types of the props (src/common/prop-types.ts). Each part's own props are
 * checked by the construct DraCluster hands them to, which names itself in the error.
 */
export const DRA_CLUSTER_PROPS: StructType = struct('DraClusterProps', () => ({
  drivers: optional(listOf(checkedByItsConstruct(DRA_DRIVER_PROPS))),
  minKubeletVersion: optional(string),
  kubernetesVersion: optional(string),
  scale: optional(CLUSTER_SCALE),
  rbac: optional(checkedByItsConstruct(DRA_RBAC_PROPS)),
  controlPlane: optional(checkedByItsConstruct(DRA_TUNED_CONTROL_PLANE_PROPS)),
  monitoring: optional(checkedByItsConstruct(DRA_MONITORING_PROPS)),
  goodPractices: optional(boolean),
  admission: optional(checkedByItsConstruct(DRA_GOOD_PRACTICES_ADMISSION_PROPS)),
}));
