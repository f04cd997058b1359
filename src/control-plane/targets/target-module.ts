import { ControlPlaneTarget } from '../target';

/** The settings every rendering writes, already validated. */
export interface ControlPlaneTuning {
  readonly controllerManagerQps: number;
  readonly controllerManagerBurst: number;
  readonly schedulerQps: number;
  readonly schedulerBurst: number;
  readonly concurrentResourceClaimSyncs?: number;
  /** Where the KubeSchedulerConfiguration file lives on a control-plane node. */
  readonly schedulerConfigPath: string;
  /** The kubeconfig the scheduler uses: with `--config` its `--kubeconfig` flag is ignored. */
  readonly schedulerKubeconfigPath?: string;
  /** `enableProfiling: false` in the scheduler config, for distributions that pass `--profiling=false`. */
  readonly disableSchedulerProfiling: boolean;
  /** metadata of the Kubernetes-style documents that have one (KubeadmControlPlane, kops Cluster). */
  readonly metadata: { name?: string; namespace?: string; labels: { [key: string]: string } };
}

/** What a target needs: documents for the chart and files for disks. */
export interface ControlPlaneRendering {
  /** Kubernetes-style documents (apiVersion/kind) the tool reads: they go to the chart. */
  readonly documents: any[];
  /** Other files, keyed by path relative to the output directory. */
  readonly files: { [path: string]: string };
}

/** Where a target's node keeps the scheduler's files, and what the distribution passes itself. */
export interface TargetDefaults {
  /** The scheduler config's path; absent where the tool writes that file itself (Talos, kops). */
  readonly schedulerConfig?: string;
  /** The kubeconfig the scheduler config must name (its `--kubeconfig` flag is ignored with `--config`). */
  readonly schedulerKubeconfig?: string;
  /** The distribution passes `--profiling=false`, a deprecated flag `--config` silences. */
  readonly profilingDisabled?: boolean;
}

/** The control-plane components whose client the tuning sets. */
export type ClientComponent = 'kube-controller-manager' | 'kube-scheduler';

/** The control-plane components whose flags the checker reads (DRA018 reads kube-apiserver's feature gates). */
export type Component = 'kube-apiserver' | ClientComponent;

/** Each component, with its section's key in kubeadm, Cluster API and Talos configs. */
export const COMPONENTS = [
  { component: 'kube-apiserver', sectionKey: 'apiServer' },
  { component: 'kube-controller-manager', sectionKey: 'controllerManager' },
  { component: 'kube-scheduler', sectionKey: 'scheduler' },
] as const;

/** The node config files a reader may ask for (they are not Kubernetes objects): k3s/RKE2 and Talos. */
export type NodeConfigShape = 'rancher' | 'talos';

/** What a target's reader gets from the checker: the input's documents by kind and node configs by shape. */
export interface TargetInput<S extends { readonly object: any }> {
  ofKind(kind: string): S[];
  nodeConfigs(shape: NodeConfigShape): S[];
  /** Where a document was read (`file.yaml:14`), for merging a node's config files in order. */
  location(source: S): string | undefined;
}

/** A component's command-line flags as one input document sets them. */
export interface FlagsRead<S> {
  readonly source: S;
  readonly component: Component;
  /** Flag name without dashes → value. */
  readonly flags: Map<string, string>;
  /** Where in the document, e.g. `controllerManager.extraArgs`. */
  readonly field: string;
  /** The document that set each flag, when they merge from several (k3s/RKE2); `source` otherwise. */
  readonly origins?: Map<string, S>;
  /** The scheduler config the document itself holds (Talos `cluster.scheduler.config`), which decides over `--config`. */
  readonly inlineSchedulerConfig?: { readonly config: any; readonly field: string };
  /** Files the document ships to the node by path (Cluster API `kubeadmConfigSpec.files`), where `--config` may point. */
  readonly shippedFiles?: { readonly files: Map<string, string>; readonly field: (path: string) => string };
}

/** A component's client QPS and burst as a document sets them outside flags (kops), unparsed. */
export interface ClientRead<S> {
  readonly source: S;
  readonly component: ClientComponent;
  readonly qps: unknown;
  readonly burst: unknown;
  readonly field: string;
}

/**
 * One tool that deploys control planes: its targets' defaults, how the tuning is rendered for it,
 * and how the checker reads its documents back. A new tool is one new module in TARGET_MODULES.
 */
export interface TargetModule {
  /** The targets it renders, with their node defaults. */
  readonly defaults: { readonly [target in ControlPlaneTarget]?: TargetDefaults };
  /** Renders the tuning for one of its targets. */
  render(target: ControlPlaneTarget, tuning: ControlPlaneTuning): ControlPlaneRendering;
  /** The components' flags its documents set. */
  readFlags?<S extends { readonly object: any }>(input: TargetInput<S>): FlagsRead<S>[];
  /** Client settings its documents set outside flags. */
  readClients?<S extends { readonly object: any }>(input: TargetInput<S>): ClientRead<S>[];
}
