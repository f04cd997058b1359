import { RESOURCE_API_GROUP } from './api';
import { deviceStatusRules } from './device-status-rules';
import { DriverControllerRulesOptions } from './driver-controller-rules-options';
import * as k8s from '../imports/k8s';

/**
 * The RBAC rules of a DRA driver's central controller that the library knows the reason for:
 * node-less ResourceSlices and its driver's device status on any node. Its other rules are
 * the driver's own (`DraDriverControllerOptions.clusterRules`).
 */
export function driverControllerRules(driverName: string, options: DriverControllerRulesOptions = {}): k8s.PolicyRule[] {
  return [
    ...(options.publishesResourceSlices
      ? [{ apiGroups: [RESOURCE_API_GROUP], resources: ['resourceslices'], verbs: ['list', 'watch', 'create', 'update', 'delete'] }]
      : []),
    ...(options.writesDeviceStatus ? deviceStatusRules(driverName, 'any-node') : []),
  ];
}
