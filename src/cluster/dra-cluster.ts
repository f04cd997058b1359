import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DRA_CLUSTER_PROPS } from './cluster-prop-types';
import { invalidProp } from '../common/errors';
import { parseKubernetesVersion } from '../common/names';
import { checkProps } from '../common/prop-types';
import { checkKubeletVersion } from '../common/version-skew';
import { ClusterScale } from '../control-plane/sizing';
import { DraTunedControlPlane, DraTunedControlPlaneProps } from '../control-plane/tuned-control-plane';
import { DraDriver } from '../driver/dra-driver';
import { DraDriverProps } from '../driver/driver-props';
import { driverNaming } from '../driver/naming';
import { DraGoodPracticesAdmission, DraGoodPracticesAdmissionProps } from '../good-practices/admission/dra-good-practices-admission';
import { DraGoodPractices } from '../good-practices/good-practices';
import { DraMonitoring, DraMonitoringProps } from '../monitoring/dra-monitoring';
import { DraRbac, DraRbacProps } from '../rbac/dra-rbac';

/** Properties of `DraCluster`. */
export interface DraClusterProps {
  /**
   * The DRA drivers to install, one `DraDriver` each (construct id: the driver name).
   * @default - no drivers
   */
  readonly drivers?: DraDriverProps[];

  /**
   * The oldest kubelet version on the nodes (`1.34`, `v1.33.2`): every driver's
   * `minKubeletVersion`, and what the good-practice checks hold seamless upgrades to.
   * @default - each driver's own `minKubeletVersion` default
   */
  readonly minKubeletVersion?: string;

  /**
   * The control plane's Kubernetes version (`1.34`, `v1.36.1`): every driver's
   * `kubernetesVersion` (which gates DeviceClass fields such as `extendedResourceName`)
   * and, unless given there, `controlPlane.kubernetesVersion`.
   * @default - each driver's own `kubernetesVersion` default (1.34)
   */
  readonly kubernetesVersion?: string;

  /**
   * The cluster's scale: sizes the control plane and is what the good-practice checks
   * compare the control plane's client QPS/burst with.
   * @default - no declared scale: `controlPlane` needs explicit values and the sizing check does not run
   */
  readonly scale?: ClusterScale;

  /**
   * Who may use the DRA APIs (`DraRbac`). The drivers are added to `drivers`.
   * @default - no DraRbac
   */
  readonly rbac?: DraRbacProps;

  /**
   * Control-plane client QPS/burst (`DraTunedControlPlane`), sized from `scale` unless given
   * explicitly. Its documents go to a top-level chart of their own, `<id>-control-plane`
   * (the file `<id>-control-plane.k8s.yaml`), which no GitOps tool should apply to the
   * cluster; files for nodes come from `controlPlane.writeFiles(dir)`.
   * @default - no control-plane tuning
   */
  readonly controlPlane?: DraTunedControlPlaneProps;

  /**
   * Recording rules, alerts, scrape config and dashboard (`DraMonitoring`). The drivers are
   * added to `drivers`.
   * @default - no DraMonitoring
   */
  readonly monitoring?: DraMonitoringProps;

  /**
   * Fail synthesis on any good-practice finding in this cluster's objects (its subtree and its
   * control-plane chart: `DraGoodPractices.of(cluster)`), with the declared scale, kubelet
   * version and admins. Several DraClusters in one app are each checked on their own.
   * @default true
   */
  readonly goodPractices?: boolean;

  /**
   * The good-practice rules judgeable on one object, enforced by the API server as
   * ValidatingAdmissionPolicies (`DraGoodPracticesAdmission`, construct id `admission`): they
   * also hold objects this app does not make, such as a vendor chart's DaemonSet.
   * @default - no admission policies
   */
  readonly admission?: DraGoodPracticesAdmissionProps;
}

/**
 * A cluster's whole DRA set-up from one props object: drivers, RBAC, control-plane tuning,
 * monitoring and the good-practice checks, wired together so that no name is typed twice.
 *
 * - Monitoring learns every driver's namespace, DaemonSet, metrics port and scrape job, and
 *   every driver's ServiceMonitor gets the labels the monitoring's Prometheus selects by; it
 *   learns the control-plane target (k3s merges the throttling alerts).
 * - RBAC learns every driver's ServiceAccount (and refuses it as a persona subject).
 * - Control-plane tuning and the sizing check use the same declared `scale`; the kubelet
 *   version check and the drivers use the same `minKubeletVersion`.
 *
 * Each part is the public construct of its own (`DraDriver`, `DraRbac`,
 * `DraTunedControlPlane`, `DraMonitoring`) and stays usable alone.
 */
export class DraCluster extends Construct {
  /** The drivers, in the order given. */
  public readonly drivers: DraDriver[];
  /**
   * The RBAC construct.
   * @default - undefined when `rbac` was not given
   */
  public readonly rbac?: DraRbac;
  /**
   * The control-plane tuning.
   * @default - undefined when `controlPlane` was not given
   */
  public readonly controlPlane?: DraTunedControlPlane;
  /**
   * The chart holding the control-plane documents (kubeadm, Cluster API, kops).
   * @default - undefined when `controlPlane` was not given or its target writes only node files
   */
  public readonly controlPlaneChart?: Chart;
  /**
   * The monitoring construct.
   * @default - undefined when `monitoring` was not given
   */
  public readonly monitoring?: DraMonitoring;
  /**
   * The good-practice admission policies.
   * @default - undefined when `admission` was not given
   */
  public readonly admission?: DraGoodPracticesAdmission;

  public constructor(scope: Construct, id: string, props: DraClusterProps = {}) {
    super(scope, id);
    checkProps(this, props, DRA_CLUSTER_PROPS);
    const driverProps = props.drivers ?? [];
    this.validate(props, driverProps);

    // Drivers that share a namespace get it created once: a second Namespace object with the
    // same name is a duplicate resource that Kustomize, Argo CD and Flux refuse.
    const namespacesCreated = new Set<string>();
    // The labels the monitoring's Prometheus selects ServiceMonitors by, as DraMonitoring defaults them.
    const scrapeLabels = props.monitoring?.scrapeLabels ?? props.monitoring?.ruleLabels;
    this.drivers = driverProps.map(driver => {
      const { namespace } = driverNaming(driver);
      const createNamespace = (driver.createNamespace ?? true) && !namespacesCreated.has(namespace);
      if (createNamespace) {
        namespacesCreated.add(namespace);
      }
      return new DraDriver(this, driver.driverName, {
        ...driver,
        minKubeletVersion: driver.minKubeletVersion ?? props.minKubeletVersion,
        kubernetesVersion: driver.kubernetesVersion ?? props.kubernetesVersion,
        createNamespace,
        serviceMonitorLabels: { ...scrapeLabels, ...driver.serviceMonitorLabels },
      });
    });

    if (props.rbac) {
      for (const namespace of props.rbac.adminAccessNamespaces ?? []) {
        const driver = this.drivers.find(d => d.namespace === namespace);
        if (driver) {
          invalidProp(this, 'rbac.adminAccessNamespaces', namespace,
            `is the namespace of driver ${driver.driverName}: admin-access claims belong in a namespace of their own, not next to a kubelet plugin`);
        }
      }
      this.rbac = new DraRbac(this, 'rbac', { ...props.rbac, drivers: [...this.drivers, ...(props.rbac.drivers ?? [])] });
    }

    const app = this.node.root;
    if (props.controlPlane) {
      if (!(app instanceof App)) {
        invalidProp(this, 'controlPlane', props.controlPlane.target, 'needs the construct to be in a cdk8s App: its documents go to a chart of their own');
      }
      // kubeadm and kops documents are not for the API server: they get a top-level chart, so
      // a file (`<id>-control-plane.k8s.yaml`) of their own that GitOps can leave out.
      const chart = new Chart(app, `${id}-control-plane`);
      this.controlPlane = new DraTunedControlPlane(chart, 'tuning', {
        ...props.controlPlane,
        scale: props.controlPlane.scale ?? props.scale,
        kubernetesVersion: props.controlPlane.kubernetesVersion ?? props.kubernetesVersion,
      });
      // Targets that only write node files (k3s, RKE2, Talos, patches, flags) leave the chart
      // empty: drop it rather than synthesize an empty manifest.
      if (chart.node.findAll().some(c => ApiObject.isApiObject(c))) {
        this.controlPlaneChart = chart;
      } else {
        app.node.tryRemoveChild(chart.node.id);
      }
    }

    if (props.monitoring) {
      this.monitoring = new DraMonitoring(this, 'monitoring', {
        ...props.monitoring,
        controlPlaneTarget: props.monitoring.controlPlaneTarget ?? props.controlPlane?.target,
        drivers: [...this.drivers, ...(props.monitoring.drivers ?? [])],
      });
    }

    if (props.admission) {
      this.admission = new DraGoodPracticesAdmission(this, 'admission', props.admission);
    }

    if (props.goodPractices ?? true) {
      if (!(app instanceof App)) {
        invalidProp(this, 'goodPractices', true, 'needs the construct to be in a cdk8s App (set goodPractices: false to check elsewhere)');
      }
      const checks = DraGoodPractices.of(this, {
        scale: props.scale,
        minKubeletVersion: props.minKubeletVersion,
        adminSubjects: (this.rbac ? props.rbac!.admins : []).map(subjectReference),
      });
      if (this.controlPlaneChart) checks._checkAlso(this.controlPlaneChart);
    }
  }

  private validate(props: DraClusterProps, drivers: DraDriverProps[]): void {
    const declaredVersion = props.controlPlane?.kubernetesVersion;
    const controlPlaneVersion = declaredVersion === undefined ? undefined : parseKubernetesVersion(declaredVersion);
    if (props.minKubeletVersion !== undefined) {
      checkKubeletVersion(this, 'minKubeletVersion', props.minKubeletVersion, controlPlaneVersion);
    }
    const seen = new Set<string>();
    for (const driver of drivers) {
      if (seen.has(driver.driverName)) {
        invalidProp(this, 'drivers', driver.driverName, 'is listed twice: each driver name is installed once');
      }
      seen.add(driver.driverName);
      if (props.minKubeletVersion !== undefined && driver.minKubeletVersion !== undefined
        && driver.minKubeletVersion !== props.minKubeletVersion) {
        invalidProp(this, `drivers[${driver.driverName}].minKubeletVersion`, driver.minKubeletVersion,
          `contradicts the cluster's minKubeletVersion '${props.minKubeletVersion}': the oldest kubelet is one fact of the cluster`);
      }
      if (props.kubernetesVersion !== undefined && driver.kubernetesVersion !== undefined
        && driver.kubernetesVersion !== props.kubernetesVersion) {
        invalidProp(this, `drivers[${driver.driverName}].kubernetesVersion`, driver.kubernetesVersion,
          `contradicts the cluster's kubernetesVersion '${props.kubernetesVersion}': the control plane's version is one fact of the cluster`);
      }
    }
    if (props.kubernetesVersion !== undefined && props.controlPlane?.kubernetesVersion !== undefined
      && props.controlPlane.kubernetesVersion !== props.kubernetesVersion) {
      invalidProp(this, 'controlPlane.kubernetesVersion', props.controlPlane.kubernetesVersion,
        `contradicts the cluster's kubernetesVersion '${props.kubernetesVersion}'`);
    }
    if (props.scale !== undefined && props.controlPlane?.scale !== undefined) {
      invalidProp(this, 'controlPlane.scale', props.controlPlane.scale,
        'must be left out: the control plane is sized from the cluster\'s scale, which the good-practice checks use too');
    }
  }
}

/** `Kind:name` (`ServiceAccount:namespace:name`), the form DraGoodPractices takes admins in. */
function subjectReference(subject: kplus.ISubject): string {
  const config = subject.toSubjectConfiguration();
  return config.kind === 'ServiceAccount'
    ? `ServiceAccount:${config.namespace}:${config.name}`
    : `${config.kind}:${config.name}`;
}
