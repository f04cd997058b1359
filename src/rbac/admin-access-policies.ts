import { Construct } from 'constructs';
import { ADMIN_ACCESS_NAMESPACE_LABEL, draWrites } from './api';
import { RbacSubject, requesterIsOneOf } from './subjects';
import { typedApiObject } from '../common/typed-objects';
import {
  KubeValidatingAdmissionPolicy,
  KubeValidatingAdmissionPolicyBinding,
  ValidatingAdmissionPolicySpec,
} from '../imports/k8s';

/** The built-in, immutable label every namespace carries with its own name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** What `writeAdminAccessPolicies` needs. */
export interface AdminAccessPoliciesOptions {
  /** Prefix of every object name. */
  readonly namePrefix: string;
  /** The only namespaces where claims may request admin access. */
  readonly allowedNamespaces: string[];
  /** The only subjects who may add, change or remove the admin-access namespace label. */
  readonly admins: RbacSubject[];
  /** Labels for every object. */
  readonly labels: { [key: string]: string };
}

/** The names of the ValidatingAdmissionPolicies (each binding has its policy's name). */
export interface AdminAccessPolicyNames {
  readonly claims: string;
  readonly claimTemplates: string;
  readonly namespaceLabel: string;
}

/** The policy names for a prefix: stable, so other tools can find them. */
export function adminAccessPolicyNames(namePrefix: string): AdminAccessPolicyNames {
  return {
    claims: `${namePrefix}-admin-access-claims`,
    claimTemplates: `${namePrefix}-admin-access-claim-templates`,
    namespaceLabel: `${namePrefix}-admin-access-namespace-label`,
  };
}

/**
 * A CEL condition, true when a claim spec at `specPath` (resource.k8s.io/v1 shape) has a
 * request with `exactly.adminAccess: true`. `firstAvailable` sub-requests cannot ask for
 * admin access, so they are not inspected.
 */
function requestsAdminAccess(specPath: string): string {
  return `has(${specPath}.devices) && has(${specPath}.devices.requests) && ` +
    `${specPath}.devices.requests.exists(r, has(r.exactly) && has(r.exactly.adminAccess) && r.exactly.adminAccess)`;
}

/**
 * A CEL expression for the admin-access label of `objectVar`: a one-element list with its
 * value, or an empty list when the object or the label is absent, so that adding,
 * changing and removing the label all compare unequal.
 */
function adminAccessLabelOf(objectVar: string): string {
  const label = JSON.stringify(ADMIN_ACCESS_NAMESPACE_LABEL);
  return `${objectVar} != null && has(${objectVar}.metadata.labels) && ${label} in ${objectVar}.metadata.labels ` +
    `? [${objectVar}.metadata.labels[${label}]] : []`;
}

/**
 * Writes the admission policies that lock admin access down:
 * claims and claim templates with `adminAccess: true` are denied outside the allowed
 * namespaces (matched by their immutable name label, so relabelling cannot widen the
 * list), and only admins may add, change or remove the admin-access namespace label.
 * The API server already checks the label itself; these policies make the allowed list
 * explicit and keep the label in admins' hands.
 */
export function writeAdminAccessPolicies(scope: Construct, options: AdminAccessPoliciesOptions): void {
  const names = adminAccessPolicyNames(options.namePrefix);
  const allowed = options.allowedNamespaces;
  const where = allowed.length > 0 ? `only allowed in namespaces ${allowed.join(', ')}` : 'not allowed in any namespace';
  const deniedMessage = `"adminAccess device requests are ${where}, not in " + request.namespace`;
  const outsideAllowed = allowed.length > 0
    ? { namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...allowed] }] } }
    : undefined;

  const claimPolicies: Array<{ name: string; resource: string; specPath: string }> = [
    { name: names.claims, resource: 'resourceclaims', specPath: 'object.spec' },
    { name: names.claimTemplates, resource: 'resourceclaimtemplates', specPath: 'object.spec.spec' },
  ];
  for (const policy of claimPolicies) {
    writePolicy(scope, policy.name, options.labels, {
      failurePolicy: 'Fail',
      // CREATE only: claim and template specs are immutable, and UPDATEs are how the
      // scheduler and the claim controller manage finalizers. Checking them would leave an
      // existing admin-access claim (e.g. after its namespace left the list) stuck in
      // Terminating, without protecting anything.
      matchConstraints: draWrites([policy.resource], ['CREATE']),
      validations: [{
        expression: `!(${requestsAdminAccess(policy.specPath)})`,
        reason: 'Forbidden',
        messageExpression: deniedMessage,
      }],
    }, outsideAllowed);
  }

  writePolicy(scope, names.namespaceLabel, options.labels, {
    failurePolicy: 'Fail',
    matchConstraints: {
      matchPolicy: 'Equivalent',
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['namespaces'] }],
    },
    // Admins are not checked at all; everyone else may not touch the label.
    matchConditions: [{ name: 'requester-is-not-a-dra-admin', expression: `!(${requesterIsOneOf(options.admins)})` }],
    variables: [
      { name: 'labelBefore', expression: adminAccessLabelOf('oldObject') },
      { name: 'labelAfter', expression: adminAccessLabelOf('object') },
    ],
    validations: [{
      expression: 'variables.labelBefore == variables.labelAfter',
      reason: 'Forbidden',
      message: `only DRA admins may add, change or remove the namespace label ${ADMIN_ACCESS_NAMESPACE_LABEL}`,
    }],
  });
}

function writePolicy(
  scope: Construct,
  name: string,
  labels: { [key: string]: string },
  spec: ValidatingAdmissionPolicySpec,
  matchResources?: { namespaceSelector: { matchExpressions: Array<{ key: string; operator: string; values: string[] }> } },
): void {
  typedApiObject(scope, `${name}-policy`, KubeValidatingAdmissionPolicy, { metadata: { name, labels: { ...labels } }, spec });
  typedApiObject(scope, `${name}-binding`, KubeValidatingAdmissionPolicyBinding, {
    metadata: { name, labels: { ...labels } },
    spec: { policyName: name, validationActions: ['Deny'], matchResources },
  });
}
