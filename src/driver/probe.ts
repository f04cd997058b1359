import { DRIVER_GRPC_PROBE_OPTIONS, DRIVER_HTTP_GET_PROBE_OPTIONS } from './option-prop-types';
import { DEFAULT_HEALTHCHECK_PORT } from '../common/kubelet-plugin-facts';
import { checkProps } from '../common/prop-types';

/** How DraDriver checks that a container is alive. */
export enum DriverProbeType {
  /** A gRPC health check (`grpc.health.v1`), as the kubeletplugin-based example driver serves it. */
  GRPC = 'grpc',
  /** An HTTP GET that succeeds with a 2xx or 3xx status (dranet serves `/healthz`). */
  HTTP_GET = 'httpGet',
  /** No liveness or startup probe, for a driver that serves no health endpoint. */
  NONE = 'none',
}

/**
 * When one probe of a container runs and how many failures it takes. Fields left out
 * keep the probe's default.
 */
export interface DriverProbeTiming {
  /**
   * Seconds after the container starts before the first check.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between checks.
   * @default - startup 5, liveness 10, readiness the API server's (10)
   */
  readonly periodSeconds?: number;
  /**
   * Seconds a check may take.
   * @default 1
   */
  readonly timeoutSeconds?: number;
  /**
   * Failed checks in a row that count as a failure (a restart for startup and liveness).
   * @default - startup 60, liveness 3, readiness the API server's (3)
   */
  readonly failureThreshold?: number;
}

/** What DraDriver's probes share, whatever they check. */
export interface DriverProbeCommonOptions {
  /**
   * The name of the container port DraDriver declares for the kubelet plugin's probed port
   * (an IANA service name: at most 15 lowercase letters, digits and dashes). An HTTP probe
   * refers to the port by this name when it is given. Not for other containers, which
   * declare their ports themselves.
   * @default 'healthcheck', and an HTTP probe refers to the port by number
   */
  readonly portName?: string;
  /**
   * The startup probe's timing: liveness applies once it has passed.
   * @default - every 5 s, 60 failures (5 minutes for hardware discovery)
   */
  readonly startup?: DriverProbeTiming;
  /**
   * The liveness probe's timing: a plugin that stops answering is restarted, so it
   * registers with the kubelet again.
   * @default - every 10 s, 3 failures
   */
  readonly liveness?: DriverProbeTiming;
  /**
   * A readiness probe on the same check, with this timing (`{}`: the API server's
   * defaults): the pod counts as ready (for rollouts and for Services that select it)
   * only while it answers.
   * @default - no readiness probe
   */
  readonly readiness?: DriverProbeTiming;
}

/** Options for `DriverProbe.grpc()`. */
export interface DriverGrpcProbeOptions extends DriverProbeCommonOptions {
  /**
   * The TCP port of the gRPC health service. For the kubelet-plugin container DraDriver
   * also passes it as `HEALTHCHECK_PORT`.
   * @default 51515
   */
  readonly port?: number;
  /**
   * The service name sent in the health check request.
   * @default 'liveness'
   */
  readonly service?: string;
}

/** Options for `DriverProbe.httpGet()`. */
export interface DriverHttpGetProbeOptions extends DriverProbeCommonOptions {
  /** The TCP port the container serves the health endpoint on. */
  readonly port: number;
  /**
   * The path of the health endpoint.
   * @default '/healthz'
   */
  readonly path?: string;
}

/**
 * A container's liveness check: a gRPC health service, an HTTP endpoint, or none with the
 * reason why. DraDriver turns it into a liveness probe (restarts a plugin that stops
 * answering, so it re-registers with the kubelet) and a startup probe (5 minutes for
 * drivers that enumerate hardware before serving).
 */
export class DriverProbe {
  /** Probes a gRPC health service (`HEALTHCHECK_PORT` for the kubelet plugin). */
  public static grpc(options: DriverGrpcProbeOptions = {}): DriverProbe {
    checkProps('DriverProbe.grpc()', options, DRIVER_GRPC_PROBE_OPTIONS);
    return new DriverProbe(DriverProbeType.GRPC, options.port ?? DEFAULT_HEALTHCHECK_PORT, options.service ?? 'liveness', undefined, undefined, options);
  }

  /** Probes an HTTP endpoint with GET. */
  public static httpGet(options: DriverHttpGetProbeOptions): DriverProbe {
    checkProps('DriverProbe.httpGet()', options, DRIVER_HTTP_GET_PROBE_OPTIONS);
    return new DriverProbe(DriverProbeType.HTTP_GET, options.port, undefined, options.path ?? '/healthz', undefined, options);
  }

  /**
   * No probe. A plugin that hangs is then never restarted and stays unregistered, which the
   * good-practice check DRA001 reports; for the kubelet plugin, DraDriver writes the reason
   * as that check's suppression (`cdk8s-dra/suppress-DRA001`) on the DaemonSet.
   *
   * @param reason why the driver cannot be probed, e.g. "the driver serves no health endpoint"
   */
  public static none(reason: string): DriverProbe {
    return new DriverProbe(DriverProbeType.NONE, undefined, undefined, undefined, reason, {});
  }

  /** Which kind of probe. */
  public readonly type: DriverProbeType;
  /**
   * The probed TCP port.
   * @default - none for `DriverProbe.none()`
   */
  public readonly port?: number;
  /**
   * The gRPC service name.
   * @default - only for `DriverProbe.grpc()`
   */
  public readonly service?: string;
  /**
   * The HTTP path.
   * @default - only for `DriverProbe.httpGet()`
   */
  public readonly path?: string;
  /**
   * Why there is no probe.
   * @default - only for `DriverProbe.none()`
   */
  public readonly reason?: string;
  /**
   * The name of the probed container port, as given.
   * @default - 'healthcheck', referred to by number
   */
  public readonly portName?: string;
  /**
   * The startup probe's timing, as given.
   * @default - the library's: every 5 s, 60 failures
   */
  public readonly startup?: DriverProbeTiming;
  /**
   * The liveness probe's timing, as given.
   * @default - the library's: every 10 s, 3 failures
   */
  public readonly liveness?: DriverProbeTiming;
  /**
   * The readiness probe's timing.
   * @default - no readiness probe
   */
  public readonly readiness?: DriverProbeTiming;

  private constructor(
    type: DriverProbeType, port: number | undefined, service: string | undefined, path: string | undefined, reason: string | undefined,
    common: DriverProbeCommonOptions,
  ) {
    this.type = type;
    this.port = port;
    this.service = service;
    this.path = path;
    this.reason = reason;
    this.portName = common.portName;
    this.startup = common.startup;
    this.liveness = common.liveness;
    this.readiness = common.readiness;
  }
}
