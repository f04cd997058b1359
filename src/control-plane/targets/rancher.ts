import * as path from 'path';
import { controllerManagerArgs, HEADER, schedulerArgs, schedulerConfigFile } from './components';
import { COMPONENTS, ControlPlaneTuning, FlagsRead, TargetInput, TargetModule } from './target-module';
import { yamlPackage } from '../../common/lazy-packages';
import { ControlPlaneTarget } from '../target';

/** `name=value`, as k3s/RKE2 `*-arg` config keys take them. */
function asRancherArgs(args: Array<[string, string]>): string[] {
  return args.map(([name, value]) => `${name}=${value}`);
}

/**
 * k3s/RKE2 config drop-in; RKE2 runs the scheduler as a static Pod, so the file needs a mount.
 * Keys end in `+`: in k3s/RKE2 config files a plain key replaces what earlier files set for it
 * (e.g. `bind-address=0.0.0.0` for Prometheus), while `key+` appends to it.
 */
function rancherConfig(tuning: ControlPlaneTuning, distribution: string, staticPods: boolean): { [path: string]: string } {
  const config: any = {
    'kube-controller-manager-arg+': asRancherArgs(controllerManagerArgs(tuning)),
    'kube-scheduler-arg+': asRancherArgs(schedulerArgs(tuning)),
  };
  if (staticPods) {
    config['kube-scheduler-extra-mount+'] = [`${tuning.schedulerConfigPath}:${tuning.schedulerConfigPath}`];
  }
  return { [`etc/rancher/${distribution}/config.yaml.d/90-cdk8s-dra-control-plane.yaml`]: HEADER + yamlPackage().stringify(config) };
}

/**
 * k3s/RKE2 flags the way k3s reads its config files: `config.yaml`, then
 * `config.yaml.d/*.yaml` in name order; a plain key replaces what earlier files set, a
 * `<key>+` key appends to it, and of repeated flags the last wins. Files are merged per
 * directory; documents passed without a file (checkObjects) are merged in their order.
 * A component appears only when some file sets its key: a file on its own may be one of
 * several the node reads.
 */
function readRancherFlags<S extends { readonly object: any }>(input: TargetInput<S>): FlagsRead<S>[] {
  const groups = new Map<string, Array<{ source: S; order: string }>>();
  for (const source of input.nodeConfigs('rancher')) {
    const { group, order } = rancherPlace(input.location(source));
    const list = groups.get(group);
    if (list) list.push({ source, order }); else groups.set(group, [{ source, order }]);
  }
  const out: FlagsRead<S>[] = [];
  for (const files of groups.values()) {
    // Array.prototype.sort is stable: documents without a file keep their order.
    const ordered = files.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0)).map(f => f.source);
    for (const { component } of COMPONENTS) {
      const key = `${component}-arg`;
      let args: Array<{ arg: string; source: S }> | undefined;
      let last: S | undefined;
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
      const origins = new Map<string, S>();
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

/** A k3s or RKE2 `config.yaml.d` drop-in plus the scheduler config file. */
export const RANCHER_TARGET: TargetModule = {
  defaults: {
    [ControlPlaneTarget.K3S]: {
      schedulerConfig: '/etc/rancher/k3s/kube-scheduler-config.yaml',
      schedulerKubeconfig: '/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig',
      profilingDisabled: true,
    },
    [ControlPlaneTarget.RKE2]: {
      schedulerConfig: '/etc/rancher/rke2/kube-scheduler-config.yaml',
      schedulerKubeconfig: '/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig',
      profilingDisabled: true,
    },
  },
  render: (target, tuning) => ({
    documents: [],
    files: target === ControlPlaneTarget.RKE2
      ? { ...rancherConfig(tuning, 'rke2', true), ...schedulerConfigFile(tuning) }
      : { ...rancherConfig(tuning, 'k3s', false), ...schedulerConfigFile(tuning) },
  }),
  readFlags: readRancherFlags,
};
