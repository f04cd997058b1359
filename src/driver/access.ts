import { ApiObject } from 'cdk8s';
import { IServiceAccount, SubjectConfiguration } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { typedApiObject } from '../common/typed-objects';
import * as k8s from '../imports/k8s';
import { RBAC_API_GROUP } from '../rbac/api';

/** A ServiceAccount and what it is granted: a ClusterRole, and a Role in its namespace when there are namespaced rules. */
export interface Access {
  readonly serviceAccount: ApiObject;
  readonly clusterRole: ApiObject;
  readonly clusterRoleBinding: ApiObject;
  readonly role?: ApiObject;
  readonly roleBinding?: ApiObject;
}

/** What `access` builds: one name for every object, the labels, the rules. */
export interface AccessSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: { [key: string]: string };
  readonly clusterRules: k8s.PolicyRule[];
  readonly namespaceRules: k8s.PolicyRule[];
}

/**
 * A ServiceAccount with a token (the pod talks to the API server) and its grants, each
 * object under the same name: the kubelet plugin's and the controller's.
 */
export function access(scope: Construct, idPrefix: string, spec: AccessSpec): Access {
  const { name, namespace, labels } = spec;
  const serviceAccount = typedApiObject(scope, `${idPrefix}service-account`, k8s.KubeServiceAccount, {
    metadata: { name, namespace, labels },
    automountServiceAccountToken: true,
  });
  const subjects = [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace }];
  const clusterRole = typedApiObject(scope, `${idPrefix}cluster-role`, k8s.KubeClusterRole, { metadata: { name, labels }, rules: spec.clusterRules });
  const clusterRoleBinding = typedApiObject(scope, `${idPrefix}cluster-role-binding`, k8s.KubeClusterRoleBinding, {
    metadata: { name, labels },
    roleRef: { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name },
    subjects,
  });
  if (spec.namespaceRules.length === 0) {
    return { serviceAccount, clusterRole, clusterRoleBinding };
  }
  const role = typedApiObject(scope, `${idPrefix}role`, k8s.KubeRole, { metadata: { name, namespace, labels }, rules: spec.namespaceRules });
  const roleBinding = typedApiObject(scope, `${idPrefix}role-binding`, k8s.KubeRoleBinding, {
    metadata: { name, namespace, labels },
    roleRef: { apiGroup: RBAC_API_GROUP, kind: 'Role', name },
    subjects,
  });
  return { serviceAccount, clusterRole, clusterRoleBinding, role, roleBinding };
}

/**
 * A ServiceAccount written by `access`, as the cdk8s-plus subject ResourceSliceGuard reads:
 * name and namespace come from the object itself. Not `ServiceAccount.fromServiceAccountName`,
 * whose namespace reads `default` when none was given.
 */
export function serviceAccountSubject(scope: Construct, id: string, serviceAccount: ApiObject): IServiceAccount {
  return new WrittenServiceAccount(scope, id, serviceAccount);
}

class WrittenServiceAccount extends Construct implements IServiceAccount {
  public readonly apiGroup = '';
  public readonly resourceType = 'serviceaccounts';
  public readonly apiVersion: string;
  public readonly kind: string;
  public readonly name: string;
  public readonly resourceName: string;

  constructor(scope: Construct, id: string, private readonly serviceAccount: ApiObject) {
    super(scope, id);
    this.apiVersion = serviceAccount.apiVersion;
    this.kind = serviceAccount.kind;
    this.name = serviceAccount.name;
    this.resourceName = serviceAccount.name;
  }

  public toSubjectConfiguration(): SubjectConfiguration {
    return { kind: this.kind, name: this.name, apiGroup: this.apiGroup, namespace: this.serviceAccount.metadata.namespace };
  }
}
