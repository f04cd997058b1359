import { asFlags, controllerManagerFlags, HEADER, KUBEADM_NODE_PATHS, SCHEDULER_CONFIG_VOLUME, schedulerArgs, schedulerConfigFile } from './components';
import { COMPONENTS, ControlPlaneTuning, FlagsRead, TargetInput, TargetModule } from './target-module';
import { yamlPackage } from '../../common/lazy-packages';
import { asArray } from '../../common/lists';
import { ControlPlaneTarget } from '../target';

/** JSON patches (RFC 6902) of kubeadm's static Pod manifests: appended flags win over earlier ones. */
function kubeadmPatches(tuning: ControlPlaneTuning): { [path: string]: string } {
  const appendFlag = (flag: string) => ({ op: 'add', path: '/spec/containers/0/command/-', value: flag });
  const controllerManager = controllerManagerFlags(tuning).map(appendFlag);
  const scheduler = [
    ...asFlags(schedulerArgs(tuning)).map(appendFlag),
    {
      op: 'add',
      path: '/spec/containers/0/volumeMounts/-',
      value: { name: SCHEDULER_CONFIG_VOLUME, mountPath: tuning.schedulerConfigPath, readOnly: true },
    },
    {
      op: 'add',
      path: '/spec/volumes/-',
      value: { name: SCHEDULER_CONFIG_VOLUME, hostPath: { path: tuning.schedulerConfigPath, type: 'File' } },
    },
  ];
  return {
    'etc/kubernetes/patches/kube-controller-manager+json.yaml': HEADER + yamlPackage().stringify(controllerManager),
    'etc/kubernetes/patches/kube-scheduler+json.yaml': HEADER + yamlPackage().stringify(scheduler),
  };
}

/** `--name=value` and `--name value` (boolean flags get an empty value). */
export function parseFlags(words: string[]): Map<string, string> {
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

/**
 * kubeadm `--patches` files plus the scheduler config: for clusters whose kubeadm config is not
 * regenerated. Read back from what they patch: the components' static Pod manifests.
 */
export const KUBEADM_PATCHES_TARGET: TargetModule = {
  defaults: { [ControlPlaneTarget.KUBEADM_PATCHES]: KUBEADM_NODE_PATHS },
  render: (_target, tuning) => ({ documents: [], files: { ...kubeadmPatches(tuning), ...schedulerConfigFile(tuning) } }),
  readFlags: <S extends { readonly object: any }>(input: TargetInput<S>) => {
    const out: FlagsRead<S>[] = [];
    for (const source of input.ofKind('Pod')) {
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
  },
};
