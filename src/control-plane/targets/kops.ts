import { ClientRead, TargetInput, TargetModule } from './target-module';
import { ControlPlaneTarget } from '../target';

/** kops `Cluster` spec fields (`kops.k8s.io/v1alpha2`); kops writes the scheduler's config file itself. */
export const KOPS_TARGET: TargetModule = {
  defaults: { [ControlPlaneTarget.KOPS]: {} },
  render: (_target, tuning) => ({
    documents: [{
      apiVersion: 'kops.k8s.io/v1alpha2',
      kind: 'Cluster',
      metadata: tuning.metadata,
      spec: {
        // kubeAPIQPS and qps are resource.Quantity (strings); the bursts are int32.
        kubeControllerManager: { kubeAPIQPS: String(tuning.controllerManagerQps), kubeAPIBurst: tuning.controllerManagerBurst },
        kubeScheduler: { qps: String(tuning.schedulerQps), burst: tuning.schedulerBurst },
      },
    }],
    files: {},
  }),
  readClients: <S extends { readonly object: any }>(input: TargetInput<S>) => input.ofKind('Cluster')
    .filter(source => String(source.object.apiVersion).startsWith('kops.k8s.io/'))
    .flatMap((source): ClientRead<S>[] => {
      const cm = source.object.spec?.kubeControllerManager ?? {};
      const sched = source.object.spec?.kubeScheduler ?? {};
      return [
        { source, component: 'kube-controller-manager', qps: cm.kubeAPIQPS, burst: cm.kubeAPIBurst, field: 'spec.kubeControllerManager' },
        { source, component: 'kube-scheduler', qps: sched.qps, burst: sched.burst, field: 'spec.kubeScheduler' },
      ];
    }),
};
