import { RESOURCE_API_GROUP } from './api';
import { deviceStatusRules } from './device-status-rules';
import { KubeletPluginRulesOptions } from './kubelet-plugin-rules-options';
import * as k8s from '../imports/k8s';

/**
 * The RBAC rules a DRA driver's kubelet plugin needs: what the kubeletplugin helper of
 * k8s.io/dynamic-resource-allocation calls, as upstream's e2e test driver grants it
 * (test/e2e/dra/test-driver/deploy/example/plugin-permissions.yaml), and nothing more:
 * - `resourceclaims` get: the helper reads each claim it is asked to prepare;
 * - `resourceslices` list, watch, create, update, delete: its ResourceSlice controller
 *   keeps this node's slices in sync (an informer, then writes);
 * - `nodes` get: it looks up its own node to own its ResourceSlices.
 * With `writesDeviceStatus`, also the claim status verbs.
 */
export function kubeletPluginRules(driverName: string, options: KubeletPluginRulesOptions = {}): k8s.PolicyRule[] {
  return [
    { apiGroups: [RESOURCE_API_GROUP], resources: ['resourceclaims'], verbs: ['get'] },
    ...(options.writesDeviceStatus ? deviceStatusRules(driverName, 'own-node') : []),
    { apiGroups: [RESOURCE_API_GROUP], resources: ['resourceslices'], verbs: ['list', 'watch', 'create', 'update', 'delete'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
  ];
}
