import { asFlags, controllerManagerFlags, KUBEADM_NODE_PATHS, schedulerArgs, schedulerConfigFile } from './components';
import { TargetModule } from './target-module';
import { ControlPlaneTarget } from '../target';

/**
 * The bare controller-manager flags and the scheduler's `--config` file, for anything else. The
 * flag lists are no document the checker reads: a static Pod or a kubeadm config carries them there.
 */
export const FLAGS_TARGET: TargetModule = {
  defaults: { [ControlPlaneTarget.FLAGS]: { schedulerConfig: KUBEADM_NODE_PATHS.schedulerConfig } },
  render: (_target, tuning) => ({
    documents: [],
    files: {
      'flags/kube-controller-manager.args': controllerManagerFlags(tuning).join('\n') + '\n',
      'flags/kube-scheduler.args': asFlags(schedulerArgs(tuning)).join('\n') + '\n',
      ...schedulerConfigFile(tuning),
    },
  }),
};
