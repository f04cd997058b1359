import { parse } from 'yaml';
import { asArray, ObjectIndex, SourcedObject } from './object-index';
import { COMPONENT_CLIENT_DEFAULTS } from '../control-plane/defaults';

/** Command-line flags of a control-plane component, as one object of the input sets them. */
export interface ComponentFlags {
  readonly source: SourcedObject;
  readonly component: 'kube-controller-manager' | 'kube-scheduler';
  /** Flag name without dashes → value. */
  readonly flags: Map<string, string>;
  /** Where in the object, e.g. `controllerManager.extraArgs`. */
  readonly field: string;
}

const COMPONENTS = [
  { component: 'kube-controller-manager', kubeadmKey: 'controllerManager' },
  { component: 'kube-scheduler', kubeadmKey: 'scheduler' },
] as const;

/**
 * Control-plane flags from kubeadm `ClusterConfiguration` (v1beta4 list or v1beta3 map),
 * Cluster API `KubeadmControlPlane`, and static Pod manifests.
 */
export function componentFlags(index: ObjectIndex): ComponentFlags[] {
  const out: ComponentFlags[] = [];
  const kubeadm = (source: SourcedObject, clusterConfiguration: any, prefix: string) => {
    // kubeadm always runs both components: without extraArgs they run with their defaults.
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

function extraArgsToMap(extraArgs: unknown): Map<string, string> {
  const flags = new Map<string, string>();
  if (Array.isArray(extraArgs)) {
    for (const arg of extraArgs) {
      if (typeof arg?.name === 'string') flags.set(arg.name, String(arg.value ?? ''));
    }
  } else if (extraArgs && typeof extraArgs === 'object') {
    for (const [name, value] of Object.entries(extraArgs)) flags.set(name, String(value));
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

/** What a component uses when its settings leave QPS/burst out. */
const DEFAULTS = COMPONENT_CLIENT_DEFAULTS;

/**
 * Client QPS/burst of kube-controller-manager and kube-scheduler from every place the input
 * sets them: flags (kubeadm, Cluster API, static Pods; defaults when absent), scheduler
 * config files (KubeSchedulerConfiguration documents, or Cluster API `files[]` at the
 * `--config` path), and the kops `Cluster` spec.
 */
export function clientSettings(index: ObjectIndex): { settings: ClientSettings[]; unresolved: UnresolvedSchedulerConfig[] } {
  const settings: ClientSettings[] = [];
  const unresolved: UnresolvedSchedulerConfig[] = [];
  const schedulerConfigs = index.ofKind('KubeSchedulerConfiguration');
  for (const s of componentFlags(index)) {
    const defaults = DEFAULTS[s.component];
    const configPath = s.component === 'kube-scheduler' ? s.flags.get('config') : undefined;
    if (configPath === undefined) {
      settings.push({
        source: s.source,
        component: s.component,
        qps: numberOr(s.flags.get('kube-api-qps'), defaults.qps),
        burst: numberOr(s.flags.get('kube-api-burst'), defaults.burst),
        field: s.field,
      });
      continue;
    }
    // With --config, the scheduler ignores its client flags: the file decides.
    const file = asArray(s.source.object.spec?.kubeadmConfigSpec?.files).find(f => f?.path === configPath && typeof f.content === 'string');
    const config = file ? parseSchedulerConfig(file.content) : undefined;
    if (config) {
      settings.push(schedulerFromConfig(s.source, config, `spec.kubeadmConfigSpec.files[${configPath}]`));
    } else if (schedulerConfigs.length === 0) {
      unresolved.push({ source: s.source, path: configPath });
    }
  }
  for (const source of schedulerConfigs) settings.push(schedulerFromConfig(source, source.object, 'clientConnection'));
  for (const source of index.ofKind('Cluster')) {
    if (!String(source.object.apiVersion).startsWith('kops.k8s.io/')) continue;
    const cm = source.object.spec?.kubeControllerManager ?? {};
    const sched = source.object.spec?.kubeScheduler ?? {};
    settings.push({
      source,
      component: 'kube-controller-manager',
      qps: numberOr(cm.kubeAPIQPS, DEFAULTS['kube-controller-manager'].qps),
      burst: numberOr(cm.kubeAPIBurst, DEFAULTS['kube-controller-manager'].burst),
      field: 'spec.kubeControllerManager',
    });
    settings.push({
      source,
      component: 'kube-scheduler',
      qps: numberOr(sched.qps, DEFAULTS['kube-scheduler'].qps),
      burst: numberOr(sched.burst, DEFAULTS['kube-scheduler'].burst),
      field: 'spec.kubeScheduler',
    });
  }
  return { settings, unresolved };
}

function schedulerFromConfig(source: SourcedObject, config: any, field: string): ClientSettings {
  const connection = config.clientConnection ?? {};
  return {
    source,
    component: 'kube-scheduler',
    qps: numberOr(connection.qps, DEFAULTS['kube-scheduler'].qps),
    burst: numberOr(connection.burst, DEFAULTS['kube-scheduler'].burst),
    field,
  };
}

function parseSchedulerConfig(content: string): any {
  try {
    const config = parse(content);
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
