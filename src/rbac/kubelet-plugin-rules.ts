import { k8s } from 'cdk8s-plus-28';
import { READ_VERBS, RESOURCE_API_GROUP } from './api';

/**
 * The RBAC rules a DRA driver's kubelet plugin needs, exactly as the reference driver
 * (kubernetes-sigs/dra-example-driver) grants them and nothing more:
 * - read ResourceClaims and update their status (device health, network data);
 * - publish this node's devices as ResourceSlices;
 * - read Nodes (the plugin looks up its own node to own its ResourceSlices);
 * - Kubernetes 1.36+ (`DRAResourceClaimGranularStatusAuthorization`): update claims
 *   allocated on its node through `resourceclaims/driver`, limited to this driver's name.
 *   Older API servers ignore the unknown verbs, so the rule is inert there.
 */
export function kubeletPluginRules(driverName: string): k8s.PolicyRule[] {
  return [
    { apiGroups: [RESOURCE_API_GROUP], resources: ['resourceclaims'], verbs: [...READ_VERBS] },
    { apiGroups: [RESOURCE_API_GROUP], resources: ['resourceclaims/status'], verbs: ['update'] },
    {
      apiGroups: [RESOURCE_API_GROUP],
      resources: ['resourceclaims/driver'],
      resourceNames: [driverName],
      verbs: ['associated-node:update', 'associated-node:patch'],
    },
    { apiGroups: [RESOURCE_API_GROUP], resources: ['resourceslices'], verbs: [...READ_VERBS, 'create', 'update', 'patch', 'delete'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
  ];
}
