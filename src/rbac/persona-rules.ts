import { k8s } from 'cdk8s-plus-28';
import {
  CLUSTER_SCOPED_DRA_RESOURCES,
  NAMESPACED_DRA_RESOURCES,
  READ_VERBS,
  RESOURCE_API_GROUP,
  WORKLOAD_OPERATOR_VERBS,
  WRITE_VERBS,
} from './api';
import { driverControllerRules } from './driver-controller-rules';
import { DriverControllerRulesOptions } from './driver-controller-rules-options';
import { kubeletPluginRules } from './kubelet-plugin-rules';
import { KubeletPluginRulesOptions } from './kubelet-plugin-rules-options';
import { DRIVER_CONTROLLER_RULES_OPTIONS, KUBELET_PLUGIN_RULES_OPTIONS } from './rbac-prop-types';
import { checkProps } from '../common/prop-types';
import { LIVE_SOURCES } from '../good-practices/inputs/live-sources';

/**
 * The RBAC rules of each DRA persona, defined once. `DraRbac` binds them; `DraDriver`
 * grants `kubeletPlugin(driverName)` to its kubelet plugin. Every call returns fresh
 * arrays, so callers may not alter what another construct grants.
 *
 * None of them uses `*`, `escalate`, `bind` or `impersonate`, and only `admin()`,
 * `kubeletPlugin()` and `driverController()` may write ResourceSlices. Claim status is the
 * drivers' alone: `kubeletPlugin()` and `driverController()` write their own driver's
 * `status.devices` (`resourceclaims/driver`, by driver name, 1.36+); no persona gets
 * `resourceclaims/binding` (`status.allocation`, `status.reservedFor`), which is the
 * scheduler's. Only `admin()` writes DeviceTaintRules, which taint devices of any driver
 * on any node and, with `NoExecute`, evict the pods using them.
 */
export class DraRbacRules {
  /**
   * Cluster admins: manage DeviceClasses, ResourceSlices and DeviceTaintRules, and read
   * every claim and claim template. Bind it cluster-wide.
   */
  public static admin(): k8s.PolicyRule[] {
    return [
      { apiGroups: [RESOURCE_API_GROUP], resources: [...CLUSTER_SCOPED_DRA_RESOURCES], verbs: [...READ_VERBS, ...WRITE_VERBS] },
      ...DraRbacRules.claimReader(),
    ];
  }

  /**
   * People who deploy workloads: create and manage ResourceClaims and
   * ResourceClaimTemplates. Bind it per namespace with a RoleBinding.
   */
  public static workloadOperator(): k8s.PolicyRule[] {
    return [
      { apiGroups: [RESOURCE_API_GROUP], resources: [...NAMESPACED_DRA_RESOURCES], verbs: [...WORKLOAD_OPERATOR_VERBS] },
    ];
  }

  /**
   * Read DeviceClasses, to see what can be requested. DeviceClasses are cluster-scoped, so a
   * RoleBinding cannot grant this: workload operators get it through a ClusterRoleBinding.
   */
  public static deviceClassReader(): k8s.PolicyRule[] {
    return [{ apiGroups: [RESOURCE_API_GROUP], resources: ['deviceclasses'], verbs: [...READ_VERBS] }];
  }

  /** Read-only on every DRA resource, cluster-wide. */
  public static viewer(): k8s.PolicyRule[] {
    return [
      {
        apiGroups: [RESOURCE_API_GROUP],
        resources: [...CLUSTER_SCOPED_DRA_RESOURCES, ...NAMESPACED_DRA_RESOURCES],
        verbs: [...READ_VERBS],
      },
    ];
  }

  /**
   * Read claims and claim templates: what the built-in `view` role gets when aggregation is on.
   */
  public static claimReader(): k8s.PolicyRule[] {
    return [{ apiGroups: [RESOURCE_API_GROUP], resources: [...NAMESPACED_DRA_RESOURCES], verbs: [...READ_VERBS] }];
  }

  /**
   * `cdk8s-dra check --cluster`: list, and nothing else, the kinds the good-practice rules read,
   * cluster-wide (DaemonSets, Deployments, RBAC roles and bindings, admission policies and
   * webhooks, PrometheusRules, ConfigMaps). Bind it with a ClusterRoleBinding; the control
   * plane's pods are read in kube-system only (`auditorInKubeSystem()`).
   */
  public static auditor(): k8s.PolicyRule[] {
    return listRules(LIVE_SOURCES.filter(source => source.namespace === undefined));
  }

  /** `cdk8s-dra check --cluster` in kube-system: list the control plane's (mirror) pods. Bind it with a RoleBinding there. */
  public static auditorInKubeSystem(): k8s.PolicyRule[] {
    return listRules(LIVE_SOURCES.filter(source => source.namespace === 'kube-system'));
  }

  /**
   * A DRA driver's kubelet plugin: publish its node's ResourceSlices, get claims, get its
   * Node; with `writesDeviceStatus`, update the status of the claims it prepared.
   *
   * @param driverName the DRA driver name, e.g. `gpu.example.com`
   */
  public static kubeletPlugin(driverName: string, options: KubeletPluginRulesOptions = {}): k8s.PolicyRule[] {
    checkProps('DraRbacRules.kubeletPlugin()', options, KUBELET_PLUGIN_RULES_OPTIONS);
    return kubeletPluginRules(driverName, options);
  }

  /**
   * A DRA driver's central controller: node-less ResourceSlices with
   * `publishesResourceSlices`; with `writesDeviceStatus`, its own driver's device status in
   * claims allocated on any node (`arbitrary-node` verbs on `resourceclaims/driver`, 1.36+).
   *
   * @param driverName the DRA driver name, e.g. `gpu.example.com`
   */
  public static driverController(driverName: string, options: DriverControllerRulesOptions = {}): k8s.PolicyRule[] {
    checkProps('DraRbacRules.driverController()', options, DRIVER_CONTROLLER_RULES_OPTIONS);
    return driverControllerRules(driverName, options);
  }

  private constructor() {}
}

/** `list` on the sources' resources, one rule per API group, in the sources' order. */
function listRules(sources: ReadonlyArray<{ group: string; resource: string }>): k8s.PolicyRule[] {
  const groups = [...new Set(sources.map(source => source.group))];
  return groups.map(group => ({ apiGroups: [group], resources: sources.filter(s => s.group === group).map(s => s.resource), verbs: ['list'] }));
}
