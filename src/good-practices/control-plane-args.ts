import * as path from 'path';
import { NodeConfigType } from './node-config';
import { asArray, ObjectIndex, SourcedObject } from './object-index';
import { yamlPackage } from '../common/lazy-packages';
import { COMPONENT_CLIENT_DEFAULTS } from '../control-plane/defaults';

/** Command-line flags of a control-plane component, as one object of the input sets them. */
export interface ComponentFlags {
  readonly source: SourcedObject;
  readonly component: 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';
  /** Flag name without dashes → value. */
  readonly flags: Map<string, string>;
  /** Where in the object, e.g. `controllerManager.extraArgs`. */
  readonly field: string;
  /** The file that set each flag, when they merge from several (k3s/RKE2); `source` otherwise. */
  readonly origins?: Map<string, SourcedObject>;
  /** The scheduler config the object itself holds (Talos `cluster.scheduler.config`), which decides over `--config`. */
  readonly inlineSchedulerConfig?: { readonly config: any; readonly field: string };
}

/** The object the flag came from. */
export function originOf(s: ComponentFlags, flag: string): SourcedObject {
  return s.origins?.get(flag) ?? s.source;
}

const COMPONENTS = [
  { component: 'kube-apiserver', kubeadmKey: 'apiServer' },
  { component: 'kube-controller-manager', kubeadmKey: 'controllerManager' },
  { component: 'kube-scheduler', kubeadmKey: 'scheduler' },
] as const;

/** Talos always runs kube-scheduler with the config file it writes: the flag value shown for it. */
const TALOS_SCHEDULER_CONFIG = '<written by Talos>';

const computedFlags = new WeakMap<ObjectIndex, ComponentFlags[]>();

/**
 * Control-plane flags (kube-apiserver, kube-controller-manager, kube-scheduler) from kubeadm
 * `ClusterConfiguration` (v1beta4 list or v1beta3 map), Cluster API `KubeadmControlPlane`,
 * static Pod manifests, k3s/RKE2 config files and Talos machine configs. Computed once per
 * index (DRA009, DRA010 and DRA018 read them).
 */
export function componentFlags(index: ObjectIndex): ComponentFlags[] {
  let flags = computedFlags.get(index);
  if (!flags) {
    flags = [...objectFlags(index), ...rancherFlags(index.nodeConfigs.get(NodeConfigType.RANCHER) ?? []),
      ...talosFlags(index.nodeConfigs.get(NodeConfigType.TALOS) ?? [])];
    computedFlags.set(index, flags);
  }
  return flags;
}

function objectFlags(index: ObjectIndex): ComponentFlags[] {
  const out: ComponentFlags[] = [];
  const kubeadm = (source: SourcedObject, clusterConfiguration: any, prefix: string) => {
    // kubeadm always runs the three components: without extraArgs they run with their defaults.
    for (const { component, kubeadmKey } of COMPONENTS) {
      const extraArgs = clusterConfiguration?.[kubeadmKey]?.extraArgs;
      out.push({ source, component, flags: extraArgsToMap(extraArgs), field: `${prefix}${kubeadmKey}.extraArgs` });
    }
  };
  for (const source of index.ofKind('ClusterConfiguration')) {
    if (String(source.object.apiVersion).startsWith('kubeadm.k8s.io/')) kubeadm(source, source.object, '');
  }
  for (const source of index.ofKind('KubeadmControlPlane')) {
    kubeadm(source, source.object.spec?.kubeadmConfigSpec?.clusterConfiguration, 'spec.kubeadmConfigSpec.clusterConfiguration.');
  }
  for (const source of index.ofKind('Pod')) {
    for (const container of asArray(source.object.spec?.containers)) {
      const words = [...asArray(container.command), ...asArray(container.args)].map(String);
      for (const { component } of COMPONENTS) {
        if (words.some(w => w === component || w.endsWith(`/${component}`))) {
          out.push({ source, component, flags: parseFlags(words), field: `spec.containers[${container.name}].command` });
        }
      }
    }
  }
  return out;
}

/**
 * k3s/RKE2 flags the way k3s reads its config files: `config.yaml`, then
 * `config.yaml.d/*.yaml` in name order; a plain key replaces what earlier files set, a
 * `<key>+` key appends to it, and of repeated flags the last wins. Files are merged per
 * directory; documents passed without a file (checkObjects) are merged in their order.
 * A component appears only when some file sets its key: a file on its own may be one of
 * several the node reads.
 */
function rancherFlags(configs: SourcedObject[]): ComponentFlags[] {
  const groups = new Map<string, Array<{ source: SourcedObject; order: string }>>();
  for (const source of configs) {
    const { group, order } = rancherPlace(source.ref.location);
    const list = groups.get(group);
    if (list) list.push({ source, order }); else groups.set(group, [{ source, order }]);
  }
  const out: ComponentFlags[] = [];
  for (const files of groups.values()) {
    // Array.prototype.sort is stable: documents without a file keep their order.
    const ordered = files.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0)).map(f => f.source);
    for (const { component } of COMPONENTS) {
      const key = `${component}-arg`;
      let args: Array<{ arg: string; source: SourcedObject }> | undefined;
      let last: SourcedObject | undefined;
      for (const source of ordered) {
        for (const [name, value] of Object.entries(source.object)) {
          if (name !== key && name !== `${key}+`) continue;
          const added = rancherValues(value).map(arg => ({ arg, source }));
          args = name === key ? added : [...(args ?? []), ...added];
          last = source;
        }
      }
      if (!args || !last) continue;
      const flags = new Map<string, string>();
      const origins = new Map<string, SourcedObject>();
      for (const { arg, source } of args) {
        const match = /^-{0,2}([^=]+)(=(.*))?$/.exec(arg);
        if (!match) continue;
        flags.set(match[1], match[3] ?? '');
        origins.set(match[1], source);
      }
      out.push({ source: last, component, flags, field: key, origins });
    }
  }
  return out;
}

/** Which node's files a document belongs to (`<dir>` of `<dir>/config.yaml` and `<dir>/config.yaml.d/*`), and its place among them. */
function rancherPlace(location: string | undefined): { group: string; order: string } {
  if (location === undefined) return { group: '', order: '' };
  const [, file, line] = /^(.*?)(?::(\d+))?$/.exec(location)!;
  const lineKey = (line ?? '').padStart(10, '0');
  const dir = path.dirname(file);
  if (path.basename(file) === 'config.yaml') return { group: dir, order: `0\u0000\u0000${lineKey}` };
  if (path.basename(dir) === 'config.yaml.d') return { group: path.dirname(dir), order: `1\u0000${path.basename(file)}\u0000${lineKey}` };
  return { group: file, order: lineKey };
}

/** A list of `flag=value` strings; k3s also takes a single string. */
function rancherValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter(v => v !== null && v !== undefined).map(String);
  return value === null || value === undefined ? [] : [String(value)];
}

/**
 * Talos `cluster.apiServer.extraArgs`, `cluster.controllerManager.extraArgs` and `cluster.scheduler.extraArgs` (maps), and
 * `cluster.scheduler.config`, which Talos merges over the KubeSchedulerConfiguration it
 * writes and passes with `--config`. A patch sets only some sections: a component appears
 * when its section does, or when the document is a whole control-plane machine config.
 */
function talosFlags(configs: SourcedObject[]): ComponentFlags[] {
  const out: ComponentFlags[] = [];
  for (const source of configs) {
    const cluster = source.object.cluster;
    const whole = ['controlplane', 'init'].includes(source.object.machine?.type);
    if (cluster.apiServer !== undefined || whole) {
      out.push({ source, component: 'kube-apiserver', flags: extraArgsToMap(cluster.apiServer?.extraArgs), field: 'cluster.apiServer.extraArgs' });
    }
    if (cluster.controllerManager !== undefined || whole) {
      out.push({
        source,
        component: 'kube-controller-manager',
        flags: extraArgsToMap(cluster.controllerManager?.extraArgs),
        field: 'cluster.controllerManager.extraArgs',
      });
    }
    if (cluster.scheduler !== undefined || whole) {
      const flags = extraArgsToMap(cluster.scheduler?.extraArgs);
      if (!flags.has('config')) flags.set('config', TALOS_SCHEDULER_CONFIG);
      out.push({
        source,
        component: 'kube-scheduler',
        flags,
        field: 'cluster.scheduler.extraArgs',
        inlineSchedulerConfig: { config: cluster.scheduler?.config ?? {}, field: 'cluster.scheduler.config' },
      });
    }
  }
  return out;
}

/** kubeadm v1beta4 `{name, value}` lists, or maps (kubeadm v1beta3, Talos; a Talos list value gives its last item). */
function extraArgsToMap(extraArgs: unknown): Map<string, string> {
  const flags = new Map<string, string>();
  if (Array.isArray(extraArgs)) {
    for (const arg of extraArgs) {
      if (typeof arg?.name === 'string') flags.set(arg.name, String(arg.value ?? ''));
    }
  } else if (extraArgs && typeof extraArgs === 'object') {
    for (const [name, value] of Object.entries(extraArgs)) flags.set(name, String(Array.isArray(value) ? value[value.length - 1] ?? '' : value));
  }
  return flags;
}

/** `--name=value` and `--name value` (boolean flags get an empty value). */
function parseFlags(words: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const match = /^--?([^=]+)(=(.*))?$/.exec(words[i]);
    if (!match) continue;
    if (match[2] !== undefined) {
      flags.set(match[1], match[3]);
    } else if (i + 1 < words.length && !words[i + 1].startsWith('-')) {
      flags.set(match[1], words[++i]);
    } else {
      flags.set(match[1], '');
    }
  }
  return flags;
}

/** A component's client QPS/burst as one object of the input sets them. */
export interface ClientSettings {
  readonly source: SourcedObject;
  readonly component: 'kube-controller-manager' | 'kube-scheduler';
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
 * sets them: flags (kubeadm, Cluster API, static Pods, k3s/RKE2 config files, Talos machine
 * configs; defaults when absent), scheduler config files (KubeSchedulerConfiguration
 * documents, Cluster API `files[]` at the `--config` path, Talos `cluster.scheduler.config`),
 * and the kops `Cluster` spec.
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
    const file = asArray(s.source.object.spec?.kubeadmConfigSpec?.files).find(f => f?.path === configPath && typeof f.content === 'string');
    const config = file ? parseSchedulerConfig(file.content) : undefined;
    if (config) {
      settings.push(schedulerFromConfig(s.source, config, `spec.kubeadmConfigSpec.files[${configPath}]`));
    } else if (schedulerConfigs.length === 0) {
      unresolved.push({ source: originOf(s, 'config'), path: configPath });
    }
  }
  for (const source of schedulerConfigs) settings.push(schedulerFromConfig(source, source.object, 'clientConnection'));
  for (const source of index.ofKind('Cluster')) {
    if (!String(source.object.apiVersion).startsWith('kops.k8s.io/')) continue;
    const cm = source.object.spec?.kubeControllerManager ?? {};
    const sched = source.object.spec?.kubeScheduler ?? {};
    settings.push(clientFrom(source, 'kube-controller-manager', cm.kubeAPIQPS, cm.kubeAPIBurst, 'spec.kubeControllerManager'));
    settings.push(clientFrom(source, 'kube-scheduler', sched.qps, sched.burst, 'spec.kubeScheduler'));
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
