import { RULE_IDS } from '../../common/good-practice-ids';
import { DEFAULT_HEALTHCHECK_PORT, HEALTHCHECK_PORT_FLAG, PLUGIN_ENV } from '../../common/kubelet-plugin-facts';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';

/** The probe handlers a container may use. */
const PROBE_TYPES = ['grpc', 'httpGet', 'tcpSocket', 'exec'];

/** DRA001: the driver's kubelet plugin container is restarted when it stops answering a liveness probe. */
export class DriverLivenessProbeRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.driverLivenessProbe,
    severity: FindingSeverity.ERROR,
    title: 'Driver kubelet plugin without a liveness probe',
    practice: '"Confirm your DRA driver exposes a liveness probe and utilize it": the kubelet unregisters a plugin that stops answering; '
      + 'a liveness probe restarts it so it re-registers, instead of leaving the node unable to prepare claims. '
      + 'Any probe type the driver answers will do; a gRPC probe must target the port the driver serves its health service on.',
    fix: 'Set a livenessProbe on the container that mounts the plugin registration directory, of the kind the driver answers: '
      + `gRPC on the driver's health service where it has one (e.g. ${PLUGIN_ENV.healthcheckPort}=${DEFAULT_HEALTHCHECK_PORT} with {grpc: {port: ${DEFAULT_HEALTHCHECK_PORT}, service: liveness}}), `
      + 'HTTP GET on its health endpoint (e.g. {httpGet: {path: /healthz, port: 8080}}), or exec/tcpSocket '
      + '(DraDriver\'s probe choice: gRPC, HTTP, or none with a reason, which this rule then reports unless suppressed).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    for (const driver of index.drivers) {
      for (const container of driver.pluginContainers) {
        const problem = probeProblem(container);
        if (problem) {
          violations.push({
            source: driver.source,
            message: `kubelet plugin container '${container.name}' ${problem}; the page says to give the driver a liveness probe so a plugin that stops answering is restarted`,
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
  if (!probe || !PROBE_TYPES.some(type => probe[type] !== undefined)) return 'has no livenessProbe (gRPC, HTTP GET, TCP or exec)';
  if (!probe.grpc) return undefined;
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

/** `--healthcheck-port=<port>` or `--healthcheck-port <port>`. */
const HEALTHCHECK_PORT_ARG = new RegExp(`^--?${HEALTHCHECK_PORT_FLAG}(?:=(.*))?$`);

function healthcheckPort(container: any): string | undefined {
  const env = asArray(container.env).find(e => e?.name === PLUGIN_ENV.healthcheckPort && e.value !== undefined);
  const words = [...asArray(container.command), ...asArray(container.args)].map(String);
  for (let i = 0; i < words.length; i++) {
    const match = HEALTHCHECK_PORT_ARG.exec(words[i]);
    if (match) return match[1] ?? words[i + 1];
  }
  return env === undefined ? undefined : String(env.value);
}
