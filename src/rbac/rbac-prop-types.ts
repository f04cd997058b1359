import { boolean, draDriverReference, implementing, listOf, optional, required, string, struct, StructType } from '../common/prop-types';

/** A cdk8s-plus `ISubject`: a User, Group or ServiceAccount. */
const subject = implementing('cdk8s-plus-28.ISubject', 'a cdk8s-plus subject (User.fromName, Group.fromName, a ServiceAccount)', 'toSubjectConfiguration');

export const WORKLOAD_NAMESPACE: StructType = struct('WorkloadNamespace', () => ({
  namespace: required(string),
  operators: required(listOf(subject)),
}));

/** The JavaScript types of `DraRbacProps` (src/common/prop-types.ts), checked before every other rule. */
export const DRA_RBAC_PROPS: StructType = struct('DraRbacProps', () => ({
  admins: required(listOf(subject)),
  viewers: optional(listOf(subject)),
  auditors: optional(listOf(subject)),
  workloadNamespaces: optional(listOf(WORKLOAD_NAMESPACE)),
  aggregateToBuiltInRoles: optional(boolean),
  adminAccessNamespaces: optional(listOf(string)),
  drivers: optional(listOf(draDriverReference)),
  namePrefix: optional(string),
}));

export const KUBELET_PLUGIN_RULES_OPTIONS: StructType = struct('KubeletPluginRulesOptions', () => ({
  writesDeviceStatus: optional(boolean),
}));

export const DRIVER_CONTROLLER_RULES_OPTIONS: StructType = struct('DriverControllerRulesOptions', () => ({
  publishesResourceSlices: optional(boolean),
  writesDeviceStatus: optional(boolean),
}));
