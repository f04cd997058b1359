import { CLUSTER_API_TARGET } from './cluster-api';
import { FLAGS_TARGET } from './flags';
import { KOPS_TARGET } from './kops';
import { KUBEADM_TARGET } from './kubeadm';
import { KUBEADM_PATCHES_TARGET } from './kubeadm-patches';
import { RANCHER_TARGET } from './rancher';
import { TALOS_TARGET } from './talos';
import { ControlPlaneRendering, ControlPlaneTuning, TargetDefaults, TargetModule } from './target-module';
import { ControlPlaneTarget } from '../target';

/**
 * Every tool DraTunedControlPlane renders for and the checker reads, in the order the checker
 * reports what it reads: a new tool is one more module here.
 */
export const TARGET_MODULES: readonly TargetModule[] = [
  KUBEADM_TARGET, CLUSTER_API_TARGET, KUBEADM_PATCHES_TARGET, RANCHER_TARGET, TALOS_TARGET, KOPS_TARGET, FLAGS_TARGET,
];

/** The module that renders `target`, if any. */
function moduleOf(target: ControlPlaneTarget): TargetModule | undefined {
  return TARGET_MODULES.find(m => m.defaults[target] !== undefined);
}

/** A target's node defaults, or undefined for a value that is no target. */
export function targetDefaults(target: ControlPlaneTarget): TargetDefaults | undefined {
  return moduleOf(target)?.defaults[target];
}

/** Renders the tuning in the shape `target` reads. */
export function renderControlPlane(target: ControlPlaneTarget, tuning: ControlPlaneTuning): ControlPlaneRendering {
  return moduleOf(target)!.render(target, tuning);
}

export { controllerManagerFlags, schedulerConfiguration } from './components';
export * from './target-module';
