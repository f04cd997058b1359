import { controllerManagerArgs, extraArgsToMap, HEADER, schedulerConfiguration } from './components';
import { FlagsRead, TargetInput, TargetModule } from './target-module';
import { yamlPackage } from '../../common/lazy-packages';
import { ControlPlaneTarget } from '../target';

/** Talos always runs kube-scheduler with the config file it writes: the flag value shown for it. */
const TALOS_SCHEDULER_CONFIG = '<written by Talos>';

/**
 * Talos `cluster.apiServer.extraArgs`, `cluster.controllerManager.extraArgs` and
 * `cluster.scheduler.extraArgs` (maps), and
 * `cluster.scheduler.config`, which Talos merges over the KubeSchedulerConfiguration it
 * writes and passes with `--config`. A patch sets only some sections: a component appears
 * when its section does, or when the document is a whole control-plane machine config.
 */
function readTalosFlags<S extends { readonly object: any }>(input: TargetInput<S>): FlagsRead<S>[] {
  const out: FlagsRead<S>[] = [];
  for (const source of input.nodeConfigs('talos')) {
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

/** A Talos machine-config patch for control-plane nodes; Talos writes the scheduler's config file itself. */
export const TALOS_TARGET: TargetModule = {
  defaults: { [ControlPlaneTarget.TALOS]: {} },
  render: (_target, tuning) => ({
    documents: [],
    files: {
      'talos/controlplane-patch.yaml': HEADER + yamlPackage().stringify({
        cluster: {
          controllerManager: { extraArgs: Object.fromEntries(controllerManagerArgs(tuning)) },
          // Talos merges this over the KubeSchedulerConfiguration it generates (kubeconfig included).
          scheduler: { config: schedulerConfiguration(tuning) },
        },
      }),
    },
  }),
  readFlags: readTalosFlags,
};
