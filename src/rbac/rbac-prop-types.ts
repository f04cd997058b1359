import { boolean, draDriverReference, implementing, listOf, optional, PropSchema, record, required, string } from '../common/prop-types';

/** A cdk8s-plus `ISubject`: a User, Group or ServiceAccount. */
const subject = implementing('a cdk8s-plus subject (User.fromName, Group.fromName, a ServiceAccount)', 'toSubjectConfiguration');

/** The JavaScript types of `DraRbacProps` (src/common/prop-types.ts), checked before every other rule. */
export const DRA_RBAC_PROP_TYPES: PropSchema = {
  admins: required(listOf(subject)),
  viewers: optional(listOf(subject)),
  workloadNamespaces: optional(listOf(record({ namespace: required(string), operators: required(listOf(subject)) }))),
  aggregateToBuiltInRoles: optional(boolean),
  adminAccessNamespaces: optional(listOf(string)),
  drivers: optional(listOf(draDriverReference)),
  namePrefix: optional(string),
};
