import { ARBITRARY_NODE_WRITE_VERBS, ASSOCIATED_NODE_WRITE_VERBS, CLAIM_DRIVER_SUBRESOURCE, RESOURCE_API_GROUP } from './api';
import * as k8s from '../imports/k8s';

/** Where the claims a device-status writer may write lie: on its own pod's node, or anywhere. */
export type DeviceStatusReach = 'own-node' | 'any-node';

/**
 * The rules for writing `status.devices` of `driverName`'s entries: `resourceclaims/status`
 * update and patch, and from 1.36 `resourceclaims/driver` with the node-aware verbs, limited
 * to the driver's name so one driver cannot rewrite what another reported. A kubelet plugin
 * (`own-node`) gets `associated-node:*`, which the API server grants only for claims allocated
 * on the node its pod-bound token names; a central controller (`any-node`) gets `arbitrary-node:*`.
 * Older API servers ignore the unknown verbs, so that rule is inert there.
 */
export function deviceStatusRules(driverName: string, reach: DeviceStatusReach): k8s.PolicyRule[] {
  return [
    { apiGroups: [RESOURCE_API_GROUP], resources: ['resourceclaims/status'], verbs: ['update', 'patch'] },
    {
      apiGroups: [RESOURCE_API_GROUP],
      resources: [CLAIM_DRIVER_SUBRESOURCE],
      resourceNames: [driverName],
      verbs: [...(reach === 'own-node' ? ASSOCIATED_NODE_WRITE_VERBS : ARBITRARY_NODE_WRITE_VERBS)],
    },
  ];
}
