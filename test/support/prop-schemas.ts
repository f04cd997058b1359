/** Every struct schema the library checks input against (the *-prop-types.ts files under src), nested ones included. */
import { DRA_CLUSTER_PROPS } from '../../src/cluster/cluster-prop-types';
import { PropShape, StructType } from '../../src/common/prop-types';
import { DRA_TUNED_CONTROL_PLANE_PROPS } from '../../src/control-plane/tuned-control-plane-prop-types';
import { DRA_DEVICE_TAINT_PROPS } from '../../src/device-taint/device-taint-prop-types';
import { DRA_DRIVER_PROPS, DRIVER_SECURITY_CONTEXT_OPTIONS } from '../../src/driver/driver-prop-types';
import {
  DRIVER_DRAIN_CHECK_OPTIONS, DRIVER_GRPC_PROBE_OPTIONS, DRIVER_HTTP_GET_PROBE_OPTIONS, DRIVER_ROLLING_UPDATE_OPTIONS, RESOURCE_SLICE_GUARD_PROPS,
} from '../../src/driver/option-prop-types';
import { DRA_GOOD_PRACTICES_ADMISSION_PROPS } from '../../src/good-practices/admission/admission-prop-types';
import { GOOD_PRACTICES_OPTIONS } from '../../src/good-practices/good-practices-prop-types';
import { DRA_MONITORING_PROPS } from '../../src/monitoring/monitoring-prop-types';
import { DRA_RBAC_PROPS, DRIVER_CONTROLLER_RULES_OPTIONS, KUBELET_PLUGIN_RULES_OPTIONS } from '../../src/rbac/rbac-prop-types';

const ROOTS: StructType[] = [
  DRA_CLUSTER_PROPS, DRA_DRIVER_PROPS, DRA_RBAC_PROPS, DRA_TUNED_CONTROL_PLANE_PROPS, DRA_MONITORING_PROPS, GOOD_PRACTICES_OPTIONS,
  DRA_GOOD_PRACTICES_ADMISSION_PROPS, DRIVER_DRAIN_CHECK_OPTIONS, DRIVER_GRPC_PROBE_OPTIONS, DRIVER_HTTP_GET_PROBE_OPTIONS,
  DRIVER_ROLLING_UPDATE_OPTIONS, RESOURCE_SLICE_GUARD_PROPS,
  KUBELET_PLUGIN_RULES_OPTIONS, DRIVER_SECURITY_CONTEXT_OPTIONS, DRIVER_CONTROLLER_RULES_OPTIONS, DRA_DEVICE_TAINT_PROPS,
];

/** Struct schemas by struct name; two different schemas of one name fail. */
export function structSchemas(): Map<string, StructType> {
  const found = new Map<string, StructType>();
  const visitShape = (shape: PropShape): void => {
    if (shape.kind === 'list' || shape.kind === 'map') visitShape(shape.of);
    if (shape.kind === 'struct') visit(shape.struct);
  };
  const visit = (type: StructType): void => {
    const known = found.get(type.name);
    if (known === type) return;
    if (known !== undefined) throw new Error(`two schemas are named ${type.name}`);
    found.set(type.name, type);
    Object.values(type.fields()).forEach(spec => visitShape(spec.type.shape));
  };
  ROOTS.forEach(visit);
  return found;
}
