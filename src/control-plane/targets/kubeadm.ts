import {
  controllerManagerArgs, extraArgsToMap, KUBEADM_NODE_PATHS, SCHEDULER_CONFIG_VOLUME, schedulerArgs, schedulerConfigFile,
} from './components';
import { COMPONENTS, ControlPlaneTuning, FlagsRead, TargetInput, TargetModule } from './target-module';
import { ControlPlaneTarget } from '../target';

/** kubeadm's controllerManager/scheduler sections; extraArgs as a v1beta4 list or a v1beta3-style map. */
export function kubeadmComponents(tuning: ControlPlaneTuning, argsForm: 'list' | 'map'): any {
  const args = (pairs: Array<[string, string]>) => argsForm === 'list'
    ? pairs.map(([name, value]) => ({ name, value }))
    : Object.fromEntries(pairs);
  return {
    controllerManager: { extraArgs: args(controllerManagerArgs(tuning)) },
    scheduler: {
      extraArgs: args(schedulerArgs(tuning)),
      extraVolumes: [{
        name: SCHEDULER_CONFIG_VOLUME,
        hostPath: tuning.schedulerConfigPath,
        mountPath: tuning.schedulerConfigPath,
        readOnly: true,
        pathType: 'File',
      }],
    },
  };
}

/**
 * The components' flags from a kubeadm ClusterConfiguration (or the one inside a Cluster API
 * KubeadmControlPlane, `prefix` naming where): kubeadm always runs the three, with their defaults
 * where extraArgs say nothing.
 */
export function readClusterConfiguration<S>(source: S, clusterConfiguration: any, prefix: string): FlagsRead<S>[] {
  return COMPONENTS.map(({ component, sectionKey }) => ({
    source,
    component,
    flags: extraArgsToMap(clusterConfiguration?.[sectionKey]?.extraArgs),
    field: `${prefix}${sectionKey}.extraArgs`,
  }));
}

/** kubeadm `ClusterConfiguration` (`kubeadm.k8s.io/v1beta4`) for `kubeadm init --config`, the scheduler config beside it. */
export const KUBEADM_TARGET: TargetModule = {
  defaults: { [ControlPlaneTarget.KUBEADM]: KUBEADM_NODE_PATHS },
  render: (_target, tuning) => ({
    documents: [{ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration', ...kubeadmComponents(tuning, 'list') }],
    files: schedulerConfigFile(tuning),
  }),
  readFlags: <S extends { readonly object: any }>(input: TargetInput<S>) => input.ofKind('ClusterConfiguration')
    .filter(source => String(source.object.apiVersion).startsWith('kubeadm.k8s.io/'))
    .flatMap(source => readClusterConfiguration(source, source.object, '')),
};
