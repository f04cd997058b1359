import { GoodPracticeRule } from '../finding';
import { ObjectIndex } from '../object-index';
import { Rule, RuleResult, Violation } from '../rule';
import { FindingSeverity } from '../severity';

/** DRA001: the driver's kubelet plugin container is restarted through its gRPC health service. */
export class DriverLivenessProbeRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: 'DRA001',
    severity: FindingSeverity.ERROR,
    title: 'Driver kubelet plugin without a gRPC liveness probe',
    practice: '"Confirm your DRA driver exposes a liveness probe and utilize it": the kubelet unregisters a plugin that stops answering; '
      + 'a probe on the driver\'s gRPC health service restarts it so it re-registers, instead of leaving the node unable to prepare claims.',
    fix: 'Enable the driver\'s health service (e.g. HEALTHCHECK_PORT=51515) and set livenessProbe: {grpc: {port: 51515, service: liveness}} '
      + 'on the container that mounts the plugin registration directory (DraDriver does this).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    for (const driver of index.drivers) {
      for (const container of driver.pluginContainers) {
        const probe = container.livenessProbe;
        const problem = !probe
          ? 'has no livenessProbe'
          : !probe.grpc
            ? `has a ${Object.keys(probe).find(k => ['httpGet', 'tcpSocket', 'exec'].includes(k)) ?? 'non-gRPC'} livenessProbe, not one on the gRPC health service`
            : Number(probe.grpc.port) === 0 || probe.grpc.port === undefined
              ? `has a gRPC livenessProbe on port ${probe.grpc.port ?? '(unset)'}, which cannot be probed`
              : undefined;
        if (problem) {
          violations.push({
            source: driver.source,
            message: `kubelet plugin container '${container.name}' ${problem}; the page says to use the driver's gRPC health check as the DaemonSet's liveness probe`,
          });
        }
      }
    }
    return { violations };
  }
}
