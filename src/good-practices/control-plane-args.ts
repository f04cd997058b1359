import { asArray, ObjectIndex, SourcedObject } from './object-index';

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
