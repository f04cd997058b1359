import { GoodPracticeRule } from '../finding';
import { asArray, ObjectIndex } from '../object-index';
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
        const problem = probeProblem(container);
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

/** What is wrong with the container's liveness probe, if anything. */
function probeProblem(container: any): string | undefined {
  const probe = container.livenessProbe;
  if (!probe) return 'has no livenessProbe';
  if (!probe.grpc) {
    const kind = Object.keys(probe).find(k => ['httpGet', 'tcpSocket', 'exec'].includes(k)) ?? 'non-gRPC';
    return `has a ${kind} livenessProbe, not one on the gRPC health service`;
  }
  const port = probe.grpc.port;
  if (port === undefined || Number(port) === 0) {
    return `has a gRPC livenessProbe on port ${port ?? '(unset)'}, which cannot be probed`;
  }
  // kubeletplugin drivers take the health port from HEALTHCHECK_PORT or --healthcheck-port; -1 turns it off.
  const served = healthcheckPort(container);
  if (served !== undefined && Number(served) !== Number(port)) {
    return Number(served) < 0
      ? `probes gRPC port ${port}, but the driver's health service is turned off (healthcheck port ${served})`
      : `probes gRPC port ${port}, but the driver serves its health service on ${served}`;
  }
  return undefined;
}

function healthcheckPort(container: any): string | undefined {
  const env = asArray(container.env).find(e => e?.name === 'HEALTHCHECK_PORT' && e.value !== undefined);
  const words = [...asArray(container.command), ...asArray(container.args)].map(String);
  for (let i = 0; i < words.length; i++) {
    const match = /^--?healthcheck-port(?:=(.*))?$/.exec(words[i]);
    if (match) return match[1] ?? words[i + 1];
  }
  return env === undefined ? undefined : String(env.value);
}
