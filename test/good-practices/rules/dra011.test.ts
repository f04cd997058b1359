import { findings, messages } from '../check';
import { installation, objectsOf } from '../installation';

describe('DRA011 monitoring rules for the page\'s metrics', () => {
  test('passes PrometheusRules covering all four signals', () => {
    expect(messages('DRA011', objectsOf(installation()))).toEqual([]);
  });

  test('passes Prometheus rule files held in a ConfigMap', () => {
    const inst = installation();
    const file = inst.prometheusRule.spec.groups[0].rules.map((r: any) => `  - record: x\n    expr: ${r.expr}`).join('\n');
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prometheus-rules', namespace: 'monitoring' }, data: { 'dra.rules.yaml': `groups:\n- name: dra\n  rules:\n${file}\n` } };
    const objects = objectsOf(inst).filter(o => o !== inst.prometheusRule).concat(configMap);
    expect(messages('DRA011', objects)).toEqual([]);
  });

  test('flags drivers without any rule, once, on the first driver', () => {
    const inst = installation();
    const second = JSON.parse(JSON.stringify(inst.daemonSet));
    second.metadata.name = 'nic-kubelet-plugin';
    const objects = objectsOf(inst).filter(o => o !== inst.prometheusRule).concat(second);
    expect(findings(objects)).toEqual(['DRA011 DaemonSet gpu-system/gpu-kubelet-plugin']);
  });

  test('names the signals no rule covers (a workqueue rule must be about resource_claim)', () => {
    const inst = installation();
    inst.prometheusRule.spec.groups[0].rules = [
      { record: 'a', expr: 'sum(workqueue_depth{name="volumes"})' },
      { record: 'b', expr: 'histogram_quantile(0.99, sum(rate(scheduler_scheduling_algorithm_duration_seconds_bucket[5m])) by (le))' },
    ];
    expect(messages('DRA011', objectsOf(inst))).toEqual([
      'this input deploys DRA driver(s) but no alert or recording rule uses kube-controller-manager ResourceClaim workqueue (workqueue_*{name="resource_claim"}); '
        + 'kubelet DRA operations (dra_operations_duration_seconds); kubelet plugin gRPC operations (dra_grpc_operations_duration_seconds)',
    ]);
  });

  test('does not ask for rules when nothing deploys a driver', () => {
    const inst = installation();
    expect(messages('DRA011', [inst.clusterRole, inst.clusterRoleBinding])).toEqual([]);
  });
});
