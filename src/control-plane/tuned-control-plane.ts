import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { ConfigDocument } from './config-document';
import { COMPONENT_CLIENT_DEFAULTS } from './defaults';
import { writeOwnedFiles } from './owned-files';
import { ClusterScale, ControlPlaneSizing, SizingRecommendation } from './sizing';
import { ControlPlaneTarget } from './target';
import { ControlPlaneTuning, controllerManagerFlags, renderControlPlane, schedulerConfiguration, targetDefaults } from './targets';
import { DRA_TUNED_CONTROL_PLANE_PROPS } from './tuned-control-plane-prop-types';
import { refuseDuplicateObjects } from '../common/duplicate-objects';
import { describeConstruct, invalidProp } from '../common/errors';
import { formatMinor, isAtLeast, KUBERNETES_CHANGES, kubernetesVersionProblem } from '../common/kubernetes-versions';
import { standardLabels } from '../common/labels';
import { isDnsLabel, isDnsSubdomain, parseKubernetesVersion } from '../common/names';
import { checkProps } from '../common/prop-types';
import { DraValidationError } from '../common/validation-error';
import { warn } from '../common/warnings';

/** A client rate limit: sustained queries per second and the burst above it. */
export interface ClientRateLimit {
  /** Sustained queries per second to the API server (positive; may be fractional). */
  readonly qps: number;
  /** Queries allowed in a burst above qps (a whole number, at least qps). */
  readonly burst: number;
}

/** Properties of a DraTunedControlPlane. */
export interface DraTunedControlPlaneProps {
  /** The tool that deploys the control plane: it decides the shape of the output. */
  readonly target: ControlPlaneTarget;

  /**
   * The cluster's scale, sized by `ControlPlaneSizing.recommend`. Explicit
   * `controllerManager` / `scheduler` override the model's values for that component.
   *
   * @default - none: then both `controllerManager` and `scheduler` are required
   */
  readonly scale?: ClusterScale;

  /**
   * kube-controller-manager `--kube-api-qps` / `--kube-api-burst`.
   *
   * @default - the model's recommendation for `scale`
   */
  readonly controllerManager?: ClientRateLimit;

  /**
   * kube-scheduler `clientConnection.qps` / `.burst` (always through its config file: the
   * `--kube-api-qps/--kube-api-burst` flags are deprecated and ignored with `--config`).
   *
   * @default - the model's recommendation for `scale`
   */
  readonly scheduler?: ClientRateLimit;

  /**
   * kube-controller-manager `--concurrent-resourceclaim-syncs` (Kubernetes 1.36+): raise it
   * when the claim workqueue is deep while its add rate is high and work duration is fine.
   * Needs `kubernetesVersion` 1.36 or later; kops has no field for it.
   *
   * @default - not set: the controller's built-in concurrency (50 since 1.34)
   */
  readonly concurrentResourceClaimSyncs?: number;

  /**
   * The control plane's Kubernetes version, `1.36` or `v1.36.1`; checked against the
   * settings that need a newer release.
   *
   * @default - unknown: settings that need a version check are refused
   */
  readonly kubernetesVersion?: string;

  /**
   * The name of the object this tunes: the `KubeadmControlPlane` (Cluster API targets) or the
   * kops `Cluster` (its cluster name). Required for those targets, refused for the others.
   *
   * @default - none
   */
  readonly objectName?: string;

  /**
   * The namespace of the `KubeadmControlPlane` (Cluster API targets only).
   *
   * @default - none: the namespace `kubectl` applies to
   */
  readonly namespace?: string;

  /**
   * Where the KubeSchedulerConfiguration file lives on control-plane nodes (an absolute path).
   * Not settable for Talos and kops, which write the scheduler's config themselves.
   *
   * @default - `/etc/kubernetes/kube-scheduler-config.yaml` (kubeadm, Cluster API, flags),
   * `/etc/rancher/k3s/kube-scheduler-config.yaml` (k3s), `/etc/rancher/rke2/kube-scheduler-config.yaml` (RKE2)
   */
  readonly schedulerConfigPath?: string;

  /**
   * The kubeconfig the scheduler talks to the API server with. It goes into the config
   * file because kube-scheduler ignores `--kubeconfig` once `--config` is set. Required
   * for the FLAGS target; not settable for Talos and kops.
   *
   * @default - `/etc/kubernetes/scheduler.conf` (kubeadm, Cluster API),
   * `/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig` (k3s),
   * `/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig` (RKE2)
   */
  readonly schedulerKubeconfigPath?: string;
}

/** Component defaults: values below them would slow the components down, not tune them. */
const CONTROLLER_MANAGER_DEFAULT: ClientRateLimit = COMPONENT_CLIENT_DEFAULTS['kube-controller-manager'];
const SCHEDULER_DEFAULT: ClientRateLimit = COMPONENT_CLIENT_DEFAULTS['kube-scheduler'];

/** Targets whose chart documents no API server accepts: their chart must hold nothing else. */
const NODE_LEVEL_CHART = [ControlPlaneTarget.KUBEADM, ControlPlaneTarget.KOPS];

/** Explicit QPS or burst below the model's value divided by this is "far below" it. */
const FAR_BELOW_FACTOR = 2;

const NEEDS_OBJECT_NAME = [ControlPlaneTarget.CLUSTER_API, ControlPlaneTarget.CLUSTER_API_V1BETA1, ControlPlaneTarget.KOPS];

/**
 * Client QPS/burst for kube-controller-manager and kube-scheduler, sized from the cluster's
 * scale (or given explicitly) and rendered in the exact shape the control plane's tool reads.
 *
 * Kubernetes-style documents the tool reads (kubeadm `ClusterConfiguration`, Cluster API
 * `KubeadmControlPlane`, kops `Cluster`) are synthesized into the chart; give this construct a
 * chart of its own that no GitOps tool applies to the workload cluster. Files for node disks
 * and other tools (scheduler config, kubeadm patches, k3s/RKE2 drop-ins, Talos patch, flag
 * lists) come from `files()` / `writeFiles(dir)`.
 */
export class DraTunedControlPlane extends Construct {
  /** kube-controller-manager `--kube-api-qps`. */
  public readonly controllerManagerQps: number;
  /** kube-controller-manager `--kube-api-burst`. */
  public readonly controllerManagerBurst: number;
  /** kube-scheduler `clientConnection.qps`. */
  public readonly schedulerQps: number;
  /** kube-scheduler `clientConnection.burst`. */
  public readonly schedulerBurst: number;
  /** The tool the output is shaped for. */
  public readonly target: ControlPlaneTarget;
  /**
   * The sizing model's recommendation and its rationale.
   * @default - none when no `scale` was given
   */
  public readonly recommendation?: SizingRecommendation;
  /**
   * The sizing model's warnings for the values it supplied: inputs beyond its calibrated range
   * (over 5000 nodes, over 20 pods/s of churn), where the values are extrapolated. Empty when
   * the scale is within range or both components were given explicitly. Synthesis also says
   * them on stderr, once; the YAML stays the same.
   */
  public readonly warnings: string[];
  /** The kube-controller-manager flags, `--kube-api-qps=100` style. */
  public readonly controllerManagerFlags: string[];
  /** The KubeSchedulerConfiguration (as YAML) that carries the scheduler's client QPS/burst. */
  public readonly schedulerConfiguration: string;

  private readonly renderedFiles: { [path: string]: string };

  public constructor(scope: Construct, id: string, props: DraTunedControlPlaneProps) {
    super(scope, id);
    checkProps(this, props, DRA_TUNED_CONTROL_PLANE_PROPS);
    this.target = props.target;
    const defaults = targetDefaults(props.target);
    if (!defaults) {
      invalidProp(this, 'target', props.target, `must be one of ${Object.values(ControlPlaneTarget).join(', ')}`);
    }

    if (!props.scale && (!props.controllerManager || !props.scheduler)) {
      this.missingProp('scale', 'is required unless both controllerManager and scheduler are given');
    }
    if (props.scale) {
      try {
        this.recommendation = ControlPlaneSizing.recommend(props.scale);
      } catch (e) {
        if (!(e instanceof DraValidationError)) throw e;
        invalidProp(this, e.prop === 'scale' ? 'scale' : `scale.${e.prop}`, e.value, e.rule);
      }
    }
    const controllerManager = props.controllerManager ?? {
      qps: this.recommendation!.controllerManagerQps,
      burst: this.recommendation!.controllerManagerBurst,
    };
    const scheduler = props.scheduler ?? {
      qps: this.recommendation!.schedulerQps,
      burst: this.recommendation!.schedulerBurst,
    };
    const modelUsed = !props.controllerManager || !props.scheduler;
    this.warnings = [
      ...(modelUsed && this.recommendation ? this.recommendation.warnings : []),
      ...this.belowModel('controllerManager', props.controllerManager, this.recommendation?.controllerManagerQps, this.recommendation?.controllerManagerBurst),
      ...this.belowModel('scheduler', props.scheduler, this.recommendation?.schedulerQps, this.recommendation?.schedulerBurst),
    ];
    this.checkRateLimit('controllerManager', controllerManager, CONTROLLER_MANAGER_DEFAULT);
    this.checkRateLimit('scheduler', scheduler, SCHEDULER_DEFAULT);
    this.checkVersionAndConcurrency(props);
    this.checkObjectName(props);

    if (props.schedulerConfigPath !== undefined) {
      if (!defaults.schedulerConfig) {
        invalidProp(this, 'schedulerConfigPath', props.schedulerConfigPath, `cannot be set for target ${props.target}: it writes the scheduler's config file itself`);
      }
      if (!props.schedulerConfigPath.startsWith('/') || props.schedulerConfigPath.split('/').includes('..')) {
        invalidProp(this, 'schedulerConfigPath', props.schedulerConfigPath, 'must be an absolute path without ".."');
      }
    }
    if (props.schedulerKubeconfigPath !== undefined) {
      if (!defaults.schedulerConfig) {
        invalidProp(this, 'schedulerKubeconfigPath', props.schedulerKubeconfigPath, `cannot be set for target ${props.target}: it writes the scheduler's config file itself`);
      }
      if (!props.schedulerKubeconfigPath.startsWith('/')) {
        invalidProp(this, 'schedulerKubeconfigPath', props.schedulerKubeconfigPath, 'must be an absolute path');
      }
    }
    const schedulerKubeconfigPath = props.schedulerKubeconfigPath ?? defaults.schedulerKubeconfig;
    if (defaults.schedulerConfig && !schedulerKubeconfigPath) {
      this.missingProp('schedulerKubeconfigPath', `is required for target ${props.target}: kube-scheduler ignores --kubeconfig once --config is set, so the config file must name it`);
    }

    this.controllerManagerQps = controllerManager.qps;
    this.controllerManagerBurst = controllerManager.burst;
    this.schedulerQps = scheduler.qps;
    this.schedulerBurst = scheduler.burst;

    const tuning: ControlPlaneTuning = {
      controllerManagerQps: controllerManager.qps,
      controllerManagerBurst: controllerManager.burst,
      schedulerQps: scheduler.qps,
      schedulerBurst: scheduler.burst,
      concurrentResourceClaimSyncs: props.concurrentResourceClaimSyncs,
      schedulerConfigPath: props.schedulerConfigPath ?? defaults.schedulerConfig ?? '',
      schedulerKubeconfigPath,
      disableSchedulerProfiling: defaults.profilingDisabled ?? false,
      metadata: {
        ...(props.objectName ? { name: props.objectName } : {}),
        ...(props.namespace ? { namespace: props.namespace } : {}),
        labels: standardLabels('dra-control-plane', 'control-plane-tuning'),
      },
    };
    this.controllerManagerFlags = controllerManagerFlags(tuning);
    this.schedulerConfiguration = stringify(schedulerConfiguration(tuning));
    const rendering = renderControlPlane(props.target, tuning);
    for (const document of rendering.documents) {
      new ConfigDocument(this, document.kind, document);
    }
    this.renderedFiles = rendering.files;
    if (NODE_LEVEL_CHART.includes(props.target)) {
      this.node.addValidation({ validate: () => this.objectsSharingTheChart() });
    }
    this.refuseSharedNodeFiles();
    refuseDuplicateObjects(this);
    // At synthesis, as the other constructs warn: an app that only builds the construct says nothing.
    this.node.addValidation({ validate: () => this.sayWarnings() });
  }

  /**
   * The files this target needs that are not in the chart, keyed by path relative to an
   * output directory. Paths under `etc/` and `var/` mirror a control-plane node's `/`;
   * `talos/` holds input for `talosctl`, `flags/` the bare flag lists.
   */
  public files(): { [path: string]: string } {
    return { ...this.renderedFiles };
  }

  /**
   * Writes `files()` under `dir` (never into the chart, so `kubectl apply` never sees them)
   * and returns the paths written. `dir/.cdk8s-dra-files` lists them, so that the next call
   * removes the files this one wrote and that one does not (another target's, after the
   * target changed); files it never wrote are left alone.
   */
  public writeFiles(dir: string): string[] {
    return writeOwnedFiles(dir, this.renderedFiles);
  }

  /**
   * A kubeadm ClusterConfiguration or a kops Cluster next to applyable objects would make
   * `kubectl apply` (or a GitOps sync of the chart's file) fail or push node-level config.
   */
  private sayWarnings(): string[] {
    for (const text of this.warnings) {
      warn(this, `DraTunedControlPlane '${this.node.path}': warning: ${text}`);
    }
    return [];
  }

  private objectsSharingTheChart(): string[] {
    const chart = Chart.of(this);
    const others = chart.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
      .filter(o => !o.node.scopes.some(s => s instanceof DraTunedControlPlane));
    if (others.length === 0) {
      return [];
    }
    const names = others.map(o => `${o.kind} '${o.name}'`).join(', ');
    return [`${describeConstruct(this)}: its chart '${chart.node.id}' also holds ${names}; `
      + `give ${this.target} config a chart of its own that no kubectl apply or GitOps sync reads`];
  }

  private missingProp(prop: string, rule: string): never {
    invalidProp(this, prop, undefined, rule);
  }

  /**
   * Explicit values far below what the model gives for the declared scale throttle the
   * component at that scale: said as a warning, since the model is a starting point.
   */
  private belowModel(prop: string, given: ClientRateLimit | undefined, qps: number | undefined, burst: number | undefined): string[] {
    if (given === undefined || qps === undefined || burst === undefined) {
      return [];
    }
    const out: string[] = [];
    if (given.qps < qps / FAR_BELOW_FACTOR) {
      out.push(`${prop}.qps ${given.qps} is less than 1/${FAR_BELOW_FACTOR} of the ${qps} the model gives for the declared scale: expect client-side throttling (rest_client_rate_limiter_duration_seconds).`);
    }
    if (given.burst < burst / FAR_BELOW_FACTOR) {
      out.push(`${prop}.burst ${given.burst} is less than 1/${FAR_BELOW_FACTOR} of the ${burst} the model gives for the declared scale: expect client-side throttling (rest_client_rate_limiter_duration_seconds).`);
    }
    return out;
  }

  /** Two tunings in one app that write the same node file would overwrite each other's. */
  private refuseSharedNodeFiles(): void {
    const others = this.node.root.node.findAll().filter((c): c is DraTunedControlPlane => c instanceof DraTunedControlPlane && c !== this);
    for (const other of others) {
      const shared = Object.keys(this.renderedFiles).find(file => file in other.renderedFiles);
      if (shared !== undefined) {
        invalidProp(this, 'target', this.target,
          `writes the node file ${shared}, which ${describeConstruct(other)} writes too: one app tunes one control plane (give each cluster an app of its own)`);
      }
    }
  }

  private checkRateLimit(prop: string, limit: ClientRateLimit, defaults: ClientRateLimit): void {
    if (typeof limit.qps !== 'number' || !Number.isFinite(limit.qps) || limit.qps <= 0) {
      invalidProp(this, `${prop}.qps`, limit.qps, 'must be a positive finite number');
    }
    if (typeof limit.burst !== 'number' || !Number.isInteger(limit.burst) || limit.burst <= 0) {
      invalidProp(this, `${prop}.burst`, limit.burst, 'must be a positive whole number');
    }
    if (limit.burst < limit.qps) {
      invalidProp(this, `${prop}.burst`, limit.burst, `must be at least ${prop}.qps (${limit.qps})`);
    }
    if (limit.qps < defaults.qps) {
      invalidProp(this, `${prop}.qps`, limit.qps, `must be at least the component default ${defaults.qps}: lower only throttles it more`);
    }
    if (limit.burst < defaults.burst) {
      invalidProp(this, `${prop}.burst`, limit.burst, `must be at least the component default ${defaults.burst}: lower only throttles it more`);
    }
  }

  private checkVersionAndConcurrency(props: DraTunedControlPlaneProps): void {
    const version = props.kubernetesVersion === undefined ? undefined : parseKubernetesVersion(props.kubernetesVersion);
    const problem = props.kubernetesVersion === undefined ? undefined : kubernetesVersionProblem(props.kubernetesVersion);
    if (problem !== undefined) {
      invalidProp(this, 'kubernetesVersion', props.kubernetesVersion, problem);
    }
    const syncs = props.concurrentResourceClaimSyncs;
    if (syncs === undefined) {
      return;
    }
    if (!Number.isInteger(syncs) || syncs <= 0) {
      invalidProp(this, 'concurrentResourceClaimSyncs', syncs, 'must be a positive whole number');
    }
    if (!version || !isAtLeast(version, KUBERNETES_CHANGES.concurrentResourceClaimSyncs)) {
      invalidProp(this, 'concurrentResourceClaimSyncs', syncs,
        `needs kubernetesVersion ${formatMinor(KUBERNETES_CHANGES.concurrentResourceClaimSyncs)} or later (got ${props.kubernetesVersion ?? 'none'}): older kube-controller-manager refuses the unknown flag and does not start`);
    }
    if (props.target === ControlPlaneTarget.KOPS) {
      invalidProp(this, 'concurrentResourceClaimSyncs', syncs, 'cannot be expressed for target kops: its Cluster spec has no field for --concurrent-resourceclaim-syncs');
    }
  }

  private checkObjectName(props: DraTunedControlPlaneProps): void {
    const needsName = NEEDS_OBJECT_NAME.includes(props.target);
    if (needsName && props.objectName === undefined) {
      this.missingProp('objectName', `is required for target ${props.target}: the name of the object it tunes`);
    }
    if (!needsName && props.objectName !== undefined) {
      invalidProp(this, 'objectName', props.objectName, `cannot be set for target ${props.target}: it tunes no named object`);
    }
    if (props.objectName !== undefined && !isDnsSubdomain(props.objectName)) {
      invalidProp(this, 'objectName', props.objectName, 'must be a DNS subdomain (RFC 1123)');
    }
    if (props.namespace !== undefined) {
      if (props.target !== ControlPlaneTarget.CLUSTER_API && props.target !== ControlPlaneTarget.CLUSTER_API_V1BETA1) {
        invalidProp(this, 'namespace', props.namespace, `cannot be set for target ${props.target}: only a KubeadmControlPlane is namespaced`);
      }
      if (!isDnsLabel(props.namespace)) {
        invalidProp(this, 'namespace', props.namespace, 'must be a DNS label (RFC 1123)');
      }
    }
  }
}
