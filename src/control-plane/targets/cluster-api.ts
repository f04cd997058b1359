import { KUBEADM_NODE_PATHS, schedulerConfigYaml } from './components';
import { kubeadmComponents, readClusterConfiguration } from './kubeadm';
import { ControlPlaneTuning, TargetInput, TargetModule } from './target-module';
import { asArray } from '../../common/lists';
import { ControlPlaneTarget } from '../target';

function kubeadmControlPlane(tuning: ControlPlaneTuning, version: string, argsForm: 'list' | 'map'): any {
  return {
    apiVersion: `controlplane.cluster.x-k8s.io/${version}`,
    kind: 'KubeadmControlPlane',
    metadata: tuning.metadata,
    spec: {
      kubeadmConfigSpec: {
        clusterConfiguration: kubeadmComponents(tuning, argsForm),
        files: [{
          path: tuning.schedulerConfigPath,
          owner: 'root:root',
          permissions: '0644',
          content: schedulerConfigYaml(tuning),
        }],
      },
    },
  };
}

/**
 * Cluster API `KubeadmControlPlane` (v1beta2 with list-form extraArgs; v1beta1, before Cluster
 * API v1.11, with maps), the scheduler config shipped in `kubeadmConfigSpec.files`.
 */
export const CLUSTER_API_TARGET: TargetModule = {
  defaults: { [ControlPlaneTarget.CLUSTER_API]: KUBEADM_NODE_PATHS, [ControlPlaneTarget.CLUSTER_API_V1BETA1]: KUBEADM_NODE_PATHS },
  render: (target, tuning) => ({
    documents: [target === ControlPlaneTarget.CLUSTER_API_V1BETA1
      ? kubeadmControlPlane(tuning, 'v1beta1', 'map')
      : kubeadmControlPlane(tuning, 'v1beta2', 'list')],
    files: {},
  }),
  readFlags: <S extends { readonly object: any }>(input: TargetInput<S>) => input.ofKind('KubeadmControlPlane').flatMap(source => {
    const spec = source.object.spec?.kubeadmConfigSpec;
    const files = new Map<string, string>();
    for (const file of asArray(spec?.files)) {
      if (typeof file?.path === 'string' && typeof file.content === 'string' && !files.has(file.path)) files.set(file.path, file.content);
    }
    const shippedFiles = { files, field: (path: string) => `spec.kubeadmConfigSpec.files[${path}]` };
    return readClusterConfiguration(source, spec?.clusterConfiguration, 'spec.kubeadmConfigSpec.clusterConfiguration.')
      .map(read => ({ ...read, shippedFiles }));
  }),
};
