import { ApiObject } from 'cdk8s';
import { IServiceAccount } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { access, serviceAccountSubject } from './access';
import { controllerDeployment } from './controller-deployment';
import { deviceTaintRuleGuard, deviceTaintRuleWriterRules } from './device-taint-rule-guard';
import { CONTROLLER_COMPONENT, driverModel, PLUGIN_COMPONENT } from './driver-model';
import { DriverObject } from './driver-object';
import { checkDriverObject } from './driver-object-checks';
import { DRIVER_OBJECT } from './driver-prop-types';
import { DraDriverProps } from './driver-props';
import { pluginMetrics } from './metrics';
import { pluginDaemonSet } from './plugin-daemon-set';
import { ResourceSliceGuard } from './resource-slice-guard';
import { DriverUpgrade } from './upgrade';
import { IDraDriver } from '../common/driver';
import { refuseDuplicateObjects } from '../common/duplicate-objects';
import { RULE_IDS, suppressAnnotation } from '../common/good-practice-ids';
import { standardLabels } from '../common/labels';
import { typedApiObject } from '../common/typed-objects';
import * as k8s from '../imports/k8s';
import { driverControllerRules } from '../rbac/driver-controller-rules';
import { kubeletPluginRules } from '../rbac/kubelet-plugin-rules';

/**
 * A DRA driver's kubelet plugin, installed the way the upstream "Good practices for
 * DRA as a Cluster Admin" page asks: a DaemonSet with a liveness probe (gRPC, HTTP, or
 * none with a stated reason), `system-node-critical` priority, seamless or rolling
 * upgrades checked against the kubelet version, drain-late tolerations and grace period,
 * least-privilege RBAC, a ResourceSlice admission guard built from the same
 * ServiceAccount, DeviceClasses with CEL selectors checked at synth time, optional
 * metrics scraping and an optional central controller.
 *
 * The flow reads one way: the props become one validated and defaulted model
 * (driver-model.ts), and each object is built from it by a small unit.
 */
export class DraDriver extends Construct implements IDraDriver {
  /** The DRA driver name. */
  public readonly driverName: string;
  /** The namespace the kubelet plugin runs in. */
  public readonly namespace: string;
  /** The kubelet-plugin DaemonSet (`<name>-kubelet-plugin`). */
  public readonly daemonSetName: string;
  /** The kubelet plugin's ServiceAccount (`<name>-kubelet-plugin`). */
  public readonly serviceAccountName: string;
  /** The DaemonSet's selector: `app.kubernetes.io/name` and `app.kubernetes.io/component`. */
  public readonly podSelectorLabels: { [key: string]: string };
  /**
   * The plugin's metrics port.
   * @default - no metrics
   */
  public readonly metricsPort?: number;
  /**
   * The name of the container port the metrics are served on: `metrics`, or the probe's
   * port name when they share the health port.
   * @default - no metrics
   */
  public readonly metricsPortName?: string;
  /**
   * The Prometheus `job` label of the plugin's metrics: the metrics Service name, when
   * the ServiceMonitor is made.
   * @default - no ServiceMonitor
   */
  public readonly metricsJob?: string;
  /** The names of the DeviceClasses made, in order. */
  public readonly deviceClassNames: string[];
  /** The ClusterRole (and ClusterRoleBinding) that grants the kubelet plugin its access. */
  public readonly clusterRoleName: string;
  /** The ValidatingAdmissionPolicy (and binding) that confines ResourceSlice writes to the plugin's node. */
  public readonly admissionPolicyName: string;
  /**
   * The metrics Service.
   * @default - no metrics
   */
  public readonly metricsServiceName?: string;
  /** The upgrade strategy in force. */
  public readonly upgrade: DriverUpgrade;

  /** The kubelet-plugin DaemonSet, to patch (`daemonSet.addJsonPatch(...)`). */
  public readonly daemonSet: ApiObject;
  /** The kubelet plugin's ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The kubelet plugin's ServiceAccount as a cdk8s-plus subject, for binding more roles to it. */
  public readonly serviceAccountSubject: IServiceAccount;
  /** The kubelet plugin's ClusterRole. */
  public readonly clusterRole: ApiObject;
  /** The binding of `clusterRole` to `serviceAccount`. */
  public readonly clusterRoleBinding: ApiObject;
  /**
   * The kubelet plugin's Role in its namespace.
   * @default - only with pluginNamespaceRules
   */
  public readonly role?: ApiObject;
  /**
   * The ValidatingAdmissionPolicy that confines the plugin's DeviceTaintRule writes to its
   * driver and its node's pool (bound with Deny under the same name).
   * @default - only with writesDeviceTaintRules
   */
  public readonly deviceTaintRuleGuardPolicy?: ApiObject;
  /** The ResourceSlice guard (ValidatingAdmissionPolicy and binding). */
  public readonly resourceSliceGuard: ResourceSliceGuard;
  /** The DeviceClasses (`resource.k8s.io/v1`), in the order given. */
  public readonly deviceClasses: ApiObject[];
  /**
   * The Namespace.
   * @default - none when createNamespace is false
   */
  public readonly namespaceObject?: ApiObject;
  /**
   * The metrics Service.
   * @default - no metrics
   */
  public readonly metricsService?: ApiObject;
  /**
   * The ServiceMonitor (`monitoring.coreos.com/v1`) of the metrics Service.
   * @default - none without metrics or with serviceMonitor false
   */
  public readonly serviceMonitor?: ApiObject;
  /**
   * The controller Deployment.
   * @default - no controller
   */
  public readonly controllerDeployment?: ApiObject;
  /**
   * The controller's ServiceAccount.
   * @default - no controller
   */
  public readonly controllerServiceAccount?: ApiObject;
  /**
   * The controller's ServiceAccount as a cdk8s-plus subject.
   * @default - no controller
   */
  public readonly controllerServiceAccountSubject?: IServiceAccount;
  /**
   * The controller's ClusterRole.
   * @default - no controller
   */
  public readonly controllerClusterRole?: ApiObject;
  /** The objects the driver ships (`extraObjects`, then `addObject`), in order. */
  public readonly extraObjects: ApiObject[] = [];

  /** The driver's name prefix, for objects added later. */
  private readonly objectName: string;

  constructor(scope: Construct, id: string, props: DraDriverProps) {
    super(scope, id);
    const model = driverModel(this, props);

    this.driverName = model.driverName;
    this.namespace = model.namespace;
    this.daemonSetName = model.names.plugin;
    this.serviceAccountName = model.names.plugin;
    this.clusterRoleName = model.names.plugin;
    this.admissionPolicyName = model.names.resourceSliceGuard;
    this.podSelectorLabels = { 'app.kubernetes.io/name': model.name, 'app.kubernetes.io/component': PLUGIN_COMPONENT };
    this.metricsPort = model.metrics?.port;
    this.metricsPortName = model.metrics?.portName;
    this.metricsServiceName = model.names.metricsService;
    this.metricsJob = model.metrics?.serviceMonitor ? model.metrics.serviceName : undefined;
    this.deviceClassNames = model.deviceClasses.map(c => c.name);
    this.upgrade = model.upgrade;
    const labels = standardLabels(model.name, PLUGIN_COMPONENT);
    this.objectName = model.name;

    if (model.createNamespace) {
      this.namespaceObject = typedApiObject(this, 'namespace', k8s.KubeNamespace, {
        metadata: {
          name: model.namespace,
          labels: { ...standardLabels(model.name, 'namespace'), 'pod-security.kubernetes.io/enforce': 'privileged' },
        },
      });
    }

    const plugin = access(this, '', {
      name: model.names.plugin,
      namespace: model.namespace,
      labels,
      clusterRules: [
        ...kubeletPluginRules(model.driverName, { writesDeviceStatus: model.writesDeviceStatus }),
        ...(model.writesDeviceTaintRules ? deviceTaintRuleWriterRules() : []),
        ...model.pluginClusterRules,
      ],
      namespaceRules: model.pluginNamespaceRules,
    });
    this.serviceAccount = plugin.serviceAccount;
    this.serviceAccountSubject = serviceAccountSubject(this, 'service-account-subject', plugin.serviceAccount);
    this.clusterRole = plugin.clusterRole;
    this.clusterRoleBinding = plugin.clusterRoleBinding;
    if (model.writesDeviceStatus) {
      // Asked for: DRA014 reports what the user chose, with the reason, instead of failing the check.
      this.clusterRoleBinding.metadata.addAnnotation(suppressAnnotation(RULE_IDS.pluginClaimAccess),
        'writesDeviceStatus: the driver publishes device status in its claims; from 1.36 resourceclaims/driver limits it to claims on its node');
    }
    this.role = plugin.role;

    if (model.controller !== undefined) {
      const name = model.names.controller!;
      const controller = access(this, 'controller-', {
        name,
        namespace: model.namespace,
        labels: standardLabels(model.name, CONTROLLER_COMPONENT),
        clusterRules: [
          // Node-less slices only: the guard refuses the controller any slice with a node.
          ...driverControllerRules(model.driverName, {
            publishesResourceSlices: model.controller.options.publishesResourceSlices,
            writesDeviceStatus: model.controller.options.writesDeviceStatus,
          }),
          ...model.controller.options.clusterRules ?? [],
        ],
        namespaceRules: model.controller.options.namespaceRules ?? [],
      });
      this.controllerServiceAccount = controller.serviceAccount;
      this.controllerServiceAccountSubject = serviceAccountSubject(this, 'controller-service-account-subject', controller.serviceAccount);
      this.controllerClusterRole = controller.clusterRole;
      this.controllerDeployment = controllerDeployment(this, model, model.controller, name, controller.serviceAccount.name,
        { 'app.kubernetes.io/name': model.name, 'app.kubernetes.io/component': CONTROLLER_COMPONENT });
    }

    this.resourceSliceGuard = new ResourceSliceGuard(this, 'resourceslice-guard', {
      serviceAccount: this.serviceAccountSubject,
      controllerServiceAccount: this.controllerServiceAccountSubject,
      name: model.names.resourceSliceGuard,
      appName: model.name,
    });

    if (model.writesDeviceTaintRules) {
      const guard = deviceTaintRuleGuard(this, {
        name: model.names.deviceTaintRuleGuard,
        driverName: model.driverName,
        username: this.resourceSliceGuard.username,
        labels: standardLabels(model.name, 'devicetaintrule-guard'),
      });
      this.deviceTaintRuleGuardPolicy = guard.policy;
    }

    if (model.priorityClassPodQuota !== undefined) {
      typedApiObject(this, 'priority-class-quota', k8s.KubeResourceQuota, {
        metadata: { name: model.names.priorityClassQuota, namespace: model.namespace, labels },
        spec: {
          hard: { pods: k8s.Quantity.fromNumber(model.priorityClassPodQuota) },
          scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [model.pod.priorityClassName] }] },
        },
      });
    }

    this.daemonSet = pluginDaemonSet(this, 'daemon-set', model, this.serviceAccount.name, this.podSelectorLabels);

    this.deviceClasses = model.deviceClasses.map((deviceClass, index) => typedApiObject(this, `device-class-${index}`, k8s.KubeDeviceClass, {
      metadata: { name: deviceClass.name, labels: standardLabels(model.name, 'device-class') },
      spec: deviceClass.spec,
    }));

    if (model.metrics !== undefined) {
      const metrics = pluginMetrics(this, model, model.metrics, this.podSelectorLabels);
      this.metricsService = metrics.service;
      this.serviceMonitor = metrics.serviceMonitor;
    }
    model.extraObjects.forEach(object => this.makeObject(object));
    refuseDuplicateObjects(this, object => duplicateHint(object, model.namespace, this.extraObjects));
  }

  /**
   * Adds an object the driver ships (a CRD, a NetworkAttachmentDefinition, a ConfigMap),
   * checked, labelled and namespaced as `extraObjects` are, and refused when another object
   * of the app has its group, kind, namespace and name.
   *
   * @param object the object
   * @returns the ApiObject made under this DraDriver
   */
  public addObject(object: DriverObject): ApiObject {
    DRIVER_OBJECT.check(this, 'object', object);
    checkDriverObject(this, 'object', object);
    const made = this.makeObject(object);
    refuseDuplicateObjects(this, o => duplicateHint(o, this.namespace, this.extraObjects));
    return made;
  }

  private makeObject(object: DriverObject): ApiObject {
    const made = new ApiObject(this, `object-${this.extraObjects.length}`, {
      ...object.fields,
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: {
        name: object.name,
        namespace: object.clusterScoped ? undefined : this.namespace,
        labels: { ...standardLabels(this.objectName, object.component ?? object.kind.toLowerCase()), ...object.labels },
        annotations: object.annotations,
      },
    });
    this.extraObjects.push(made);
    return made;
  }
}

/** Which DraDriver prop renames an object that another part of the app also makes. */
function duplicateHint(object: ApiObject, namespace: string, extraObjects: ApiObject[]): string {
  if (extraObjects.includes(object)) {
    return 'rename the object in extraObjects or addObject (or ship it from one driver only)';
  }
  if (object.kind === 'Namespace') {
    return `drivers that share namespace '${namespace}' create it once: set createNamespace: false on all but one`;
  }
  if (object.kind === 'DeviceClass') {
    return 'name it otherwise in deviceClasses (or publish it from one driver only)';
  }
  return 'set `name` (the prefix of the driver\'s object names, by default the driverName with dots made dashes) or `namespace`';
}
