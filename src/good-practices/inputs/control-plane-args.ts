import { NodeConfigType } from './node-config';
import { yamlPackage } from '../../common/lazy-packages';
import { COMPONENT_CLIENT_DEFAULTS } from '../../control-plane/defaults';
import { ClientComponent, FlagsRead, TARGET_MODULES, TargetInput } from '../../control-plane/targets';
import { ObjectIndex, SourcedObject } from '../engine/object-index';

/** Command-line flags of a control-plane component, as one object of the input sets them. */
export type ComponentFlags = FlagsRead<SourcedObject>;

/** The object the flag came from. */
export function originOf(s: ComponentFlags, flag: string): SourcedObject {
  return s.origins?.get(flag) ?? s.source;
}

const computedFlags = new WeakMap<ObjectIndex, ComponentFlags[]>();

/** The index as the control-plane targets' readers take it. */
function targetInput(index: ObjectIndex): TargetInput<SourcedObject> {
  return {
    ofKind: kind => index.ofKind(kind),
    nodeConfigs: shape => index.nodeConfigs.get(shape === 'rancher' ? NodeConfigType.RANCHER : NodeConfigType.TALOS) ?? [],
    location: source => source.ref.location,
  };
}

/**
 * Control-plane flags (kube-apiserver, kube-controller-manager, kube-scheduler) from every
 * target's documents (src/control-plane/targets): kubeadm `ClusterConfiguration` (v1beta4 list or
 * v1beta3 map), Cluster API `KubeadmControlPlane`, static Pod manifests, k3s/RKE2 config files and
 * Talos machine configs. Computed once per index (DRA009, DRA010 and DRA018 read them).
 */
export function componentFlags(index: ObjectIndex): ComponentFlags[] {
  let flags = computedFlags.get(index);
  if (!flags) {
    const input = targetInput(index);
    flags = TARGET_MODULES.flatMap(target => target.readFlags?.(input) ?? []);
    computedFlags.set(index, flags);
  }
  return flags;
}

/** A component's client QPS/burst as one object of the input sets them. */
export interface ClientSettings {
  readonly source: SourcedObject;
  readonly component: ClientComponent;
  readonly qps: number;
  readonly burst: number;
  /** Where in the object. */
  readonly field: string;
}

/** A scheduler run with `--config` whose file the input does not hold. */
export interface UnresolvedSchedulerConfig {
  readonly source: SourcedObject;
  readonly path: string;
}

/**
 * Client QPS/burst of kube-controller-manager and kube-scheduler from every place the input
 * sets them: flags (every target's reader; defaults when absent), scheduler config files
 * (KubeSchedulerConfiguration documents, files a document ships at the `--config` path, Talos
 * `cluster.scheduler.config`), and client settings outside flags (the kops `Cluster` spec).
 */
export function clientSettings(index: ObjectIndex): { settings: ClientSettings[]; unresolved: UnresolvedSchedulerConfig[] } {
  const settings: ClientSettings[] = [];
  const unresolved: UnresolvedSchedulerConfig[] = [];
  const schedulerConfigs = index.ofKind('KubeSchedulerConfiguration');
  for (const s of componentFlags(index)) {
    if (s.component === 'kube-apiserver') continue;
    const configPath = s.component === 'kube-scheduler' ? s.flags.get('config') : undefined;
    if (configPath === undefined) {
      const source = s.flags.has('kube-api-qps') || !s.flags.has('kube-api-burst') ? originOf(s, 'kube-api-qps') : originOf(s, 'kube-api-burst');
      settings.push(clientFrom(source, s.component, s.flags.get('kube-api-qps'), s.flags.get('kube-api-burst'), s.field));
      continue;
    }
    // With --config, the scheduler ignores its client flags: the file decides.
    if (s.inlineSchedulerConfig) {
      settings.push(schedulerFromConfig(s.source, s.inlineSchedulerConfig.config, s.inlineSchedulerConfig.field));
      continue;
    }
    const content = s.shippedFiles?.files.get(configPath);
    const config = content !== undefined ? parseSchedulerConfig(content) : undefined;
    if (config) {
      settings.push(schedulerFromConfig(s.source, config, s.shippedFiles!.field(configPath)));
    } else if (schedulerConfigs.length === 0) {
      unresolved.push({ source: originOf(s, 'config'), path: configPath });
    }
  }
  for (const source of schedulerConfigs) settings.push(schedulerFromConfig(source, source.object, 'clientConnection'));
  const input = targetInput(index);
  for (const read of TARGET_MODULES.flatMap(target => target.readClients?.(input) ?? [])) {
    settings.push(clientFrom(read.source, read.component, read.qps, read.burst, read.field));
  }
  return { settings, unresolved };
}

function schedulerFromConfig(source: SourcedObject, config: any, field: string): ClientSettings {
  const connection = config.clientConnection ?? {};
  return clientFrom(source, 'kube-scheduler', connection.qps, connection.burst, field);
}

/** QPS and burst as the object sets them; absent or unreadable, what the component uses by default. */
function clientFrom(source: SourcedObject, component: ClientSettings['component'], qps: unknown, burst: unknown, field: string): ClientSettings {
  const defaults = COMPONENT_CLIENT_DEFAULTS[component];
  return { source, component, qps: numberOr(qps, defaults.qps), burst: numberOr(burst, defaults.burst), field };
}

function parseSchedulerConfig(content: string): any {
  try {
    const config = yamlPackage().parse(content);
    return config?.kind === 'KubeSchedulerConfiguration' ? config : undefined;
  } catch {
    return undefined;
  }
}

/** Flags and Quantities are strings, config fields numbers; absent or unreadable means the default. */
function numberOr(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}
