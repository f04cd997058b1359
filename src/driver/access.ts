import { k8s, ServiceAccount } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RBAC_API_GROUP } from '../rbac/api';

/** A ServiceAccount and what it is granted: a ClusterRole, and a Role in its namespace when there are namespaced rules. */
export interface Access {
  readonly serviceAccount: ServiceAccount;
  readonly clusterRole: k8s.KubeClusterRole;
  readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  readonly role?: k8s.KubeRole;
  readonly roleBinding?: k8s.KubeRoleBinding;
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
  const serviceAccount = new ServiceAccount(scope, `${idPrefix}service-account`, {
    metadata: { name, namespace, labels },
    automountToken: true,
  });
  const subjects = [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace }];
  const clusterRole = new k8s.KubeClusterRole(scope, `${idPrefix}cluster-role`, { metadata: { name, labels }, rules: spec.clusterRules });
  const clusterRoleBinding = new k8s.KubeClusterRoleBinding(scope, `${idPrefix}cluster-role-binding`, {
    metadata: { name, labels },
    roleRef: { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name },
    subjects,
  });
  if (spec.namespaceRules.length === 0) {
    return { serviceAccount, clusterRole, clusterRoleBinding };
  }
  const role = new k8s.KubeRole(scope, `${idPrefix}role`, { metadata: { name, namespace, labels }, rules: spec.namespaceRules });
  const roleBinding = new k8s.KubeRoleBinding(scope, `${idPrefix}role-binding`, {
    metadata: { name, namespace, labels },
    roleRef: { apiGroup: RBAC_API_GROUP, kind: 'Role', name },
    subjects,
  });
  return { serviceAccount, clusterRole, clusterRoleBinding, role, roleBinding };
}
