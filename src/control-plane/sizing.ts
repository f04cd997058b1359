import { COMPONENT_CLIENT_DEFAULTS } from './defaults';
import { CLUSTER_SCALE } from './tuned-control-plane-prop-types';
import { invalidInput } from '../common/errors';
import { checkProps, typeName } from '../common/prop-types';

/**
 * The scale a cluster runs at: what the control-plane client QPS/burst is sized from.
 *
 * Rates are peaks, not averages: the client rate limiter throttles at the peak.
 */
export interface ClusterScale {
  /** Number of nodes in the cluster (a positive integer). */
  readonly nodes: number;

  /** Pods created per second at peak, across the cluster. */
  readonly podCreationQps: number;

  /**
   * ResourceClaims generated per pod from ResourceClaimTemplates (they are created and
   * deleted with each pod). Claims shared by name between pods cost no per-pod calls;
   * do not count them. May be fractional (an average) or 0.
   *
   * @default 1
   */
  readonly claimsPerPod?: number;

  /**
   * Pods deleted (finished or evicted) per second at peak: the churn.
   *
   * @default - podCreationQps (steady state: what is created is deleted at the same rate)
   */
  readonly podDeletionQps?: number;
}

/** Client QPS/burst for kube-controller-manager and kube-scheduler, and why. */
export interface SizingRecommendation {
  /** kube-controller-manager `--kube-api-qps`. */
  readonly controllerManagerQps: number;
  /** kube-controller-manager `--kube-api-burst`. */
  readonly controllerManagerBurst: number;
  /** kube-scheduler `KubeSchedulerConfiguration.clientConnection.qps`. */
  readonly schedulerQps: number;
  /** kube-scheduler `KubeSchedulerConfiguration.clientConnection.burst`. */
  readonly schedulerBurst: number;
  /** Human-readable: the inputs, the formula and which calibration point bounds each value. */
  readonly rationale: string;
  /**
   * What to be wary of: one sentence per input beyond the calibrated range (over 5000 nodes,
   * over 20 pods/s of churn), where the values are extrapolated. Empty inside the range.
   * Also in `rationale`, prefixed `Warning:`.
   */
  readonly warnings: string[];
}

/** A (nodes, qps) point read from an upstream scale-test setting. */
interface CalibrationPoint {
  readonly nodes: number;
  readonly qps: number;
  readonly source: string;
}

/** One component's coefficients. */
interface ComponentModel {
  readonly name: string;
  readonly defaultQps: number;
  readonly defaultBurst: number;
  /** API calls per created pod that do not involve DRA. */
  readonly callsPerCreatedPod: number;
  /** API calls per generated claim when its pod is created. */
  readonly callsPerClaimOnCreate: number;
  /** API calls per deleted pod that do not involve DRA. */
  readonly callsPerDeletedPod: number;
  /** API calls per generated claim when its pod is deleted. */
  readonly callsPerClaimOnDelete: number;
  readonly calibration: CalibrationPoint[];
}

/**
 * kube-controller-manager, per pod created: the workload controller creates the pod and
 * updates its status (2); per generated claim: the resourceclaim controller creates the
 * claim and patches `pod.status.resourceClaimStatuses` (2). Per pod deleted: pod GC or
 * workload status (1); per claim: drop the `reservedFor` entry and delete the claim (2).
 */
const CONTROLLER_MANAGER: ComponentModel = {
  name: 'kube-controller-manager',
  defaultQps: COMPONENT_CLIENT_DEFAULTS['kube-controller-manager'].qps,
  defaultBurst: COMPONENT_CLIENT_DEFAULTS['kube-controller-manager'].burst,
  callsPerCreatedPod: 2,
  callsPerClaimOnCreate: 2,
  callsPerDeletedPod: 1,
  callsPerClaimOnDelete: 2,
  calibration: [
    { nodes: 100, qps: 100, source: 'test-infra 100-node scale preset 100/100' },
    { nodes: 500, qps: 500, source: 'test-infra 500-node DRA preset 500/500' },
    { nodes: 5000, qps: 1000, source: 'test-infra 5000-node DRA preset 1000/1000' },
  ],
};

/**
 * kube-scheduler, per pod created: the binding and the Scheduled event (2); per claim:
 * the update that adds the `resource.kubernetes.io/delete-protection` finalizer, then the
 * status update that writes the allocation and `reservedFor` (2). Measured: 4.0 requests
 * per pod with one claim (npm run bench:cluster, docs/control-plane.md). Deletions cost the
 * scheduler no writes.
 */
const SCHEDULER: ComponentModel = {
  name: 'kube-scheduler',
  defaultQps: COMPONENT_CLIENT_DEFAULTS['kube-scheduler'].qps,
  defaultBurst: COMPONENT_CLIENT_DEFAULTS['kube-scheduler'].burst,
  callsPerCreatedPod: 2,
  callsPerClaimOnCreate: 2,
  callsPerDeletedPod: 0,
  callsPerClaimOnDelete: 0,
  calibration: [
    { nodes: 100, qps: 100, source: 'test-infra 100-node scale preset 100/100' },
    { nodes: 500, qps: 500, source: 'test-infra 500-node DRA preset 500/500' },
    { nodes: 5000, qps: 1200, source: 'test-infra 5000-node DRA preset 1200/1200' },
  ],
};

/** Recommendations are rounded up to this step: tidy flags, a little headroom. */
const STEP = 25;

/** Largest node count and pod churn SIG Scalability's SLOs are defined for. */
const MAX_TESTED_NODES = 5000;
const MAX_TESTED_POD_QPS = 20;
/** Bounds beyond any cluster, so the extrapolated values stay numbers a component can be given. */
const MAX_NODES = 1_000_000;
const MAX_RATE = 1_000_000;
const MAX_CLAIMS_PER_POD = 1000;

/**
 * Sizes kube-controller-manager and kube-scheduler client QPS/burst from a cluster's scale.
 *
 * The model (details and limits in docs/control-plane.md):
 * - pod-rate term: API calls per second the component makes for pods and their generated
 *   ResourceClaims, `created x (callsPerPod + claimsPerPod x callsPerClaim) + deleted x (...)`;
 * - node term: the upstream scale-test settings (100, 500 and 5000 nodes), interpolated
 *   linearly in the node count;
 * - `qps = max(default, pod-rate term, node term)`,
 *   `burst = max(default burst, 2 x pod-rate term, node term)`, rounded up to a multiple
 *   of 25. Never below the component defaults, and burst >= qps.
 *
 * It is a starting point: DraMonitoring's client-throttling alert confirms it on the cluster.
 */
export class ControlPlaneSizing {
  /**
   * Recommends client QPS/burst for a cluster of this scale.
   *
   * @throws Error naming the field, value and rule when an input is not a valid number.
   */
  public static recommend(scale: ClusterScale): SizingRecommendation {
    const inputs = validatedScale(scale);
    const cm = sizeComponent(CONTROLLER_MANAGER, inputs);
    const sched = sizeComponent(SCHEDULER, inputs);
    const warnings = beyondCalibration(inputs);
    const lines = [
      `ClusterScale: ${inputs.nodes} nodes, ${inputs.podCreationQps} pods/s created, `
        + `${inputs.podDeletionQps} pods/s deleted, ${inputs.claimsPerPod} generated claim(s) per pod.`,
      ...cm.explanation,
      ...sched.explanation,
      ...warnings.map(w => `Warning: ${w}`),
      'A starting point: confirm it with the client-throttling signal rest_client_rate_limiter_duration_seconds (DraMonitoring).',
    ];
    return {
      controllerManagerQps: cm.qps,
      controllerManagerBurst: cm.burst,
      schedulerQps: sched.qps,
      schedulerBurst: sched.burst,
      rationale: lines.join('\n'),
      warnings,
    };
  }

  private constructor() {}
}

interface ValidatedScale {
  readonly nodes: number;
  readonly podCreationQps: number;
  readonly claimsPerPod: number;
  readonly podDeletionQps: number;
}

function validatedScale(scale: ClusterScale): ValidatedScale {
  if (typeof scale !== 'object' || scale === null || Array.isArray(scale)) {
    invalidInput('ClusterScale', 'scale', scale, `must be an object with nodes and podCreationQps, not ${typeName(scale)}`);
  }
  checkProps('ClusterScale', scale, CLUSTER_SCALE);
  const checkNumber = (field: string, value: number, min: 'positive' | 'nonNegative', max: number) => {
    if (typeof value !== 'number') {
      fail(field, value, `must be a number, not ${typeName(value)}`);
    }
    if (!Number.isFinite(value) || (min === 'positive' ? value <= 0 : value < 0)) {
      fail(field, value, min === 'positive' ? 'must be a positive finite number' : 'must be a finite number >= 0');
    }
    if (value > max) {
      fail(field, value, `must be at most ${max}: beyond any cluster (the model is calibrated up to ${MAX_TESTED_NODES} nodes and ${MAX_TESTED_POD_QPS} pods/s)`);
    }
  };
  const positive = (field: string, value: number) => checkNumber(field, value, 'positive', MAX_RATE);
  const nonNegative = (field: string, value: number) => checkNumber(field, value, 'nonNegative', MAX_RATE);
  checkNumber('nodes', scale.nodes, 'positive', MAX_NODES);
  if (!Number.isInteger(scale.nodes)) {
    fail('nodes', scale.nodes, 'must be a whole number');
  }
  positive('podCreationQps', scale.podCreationQps);
  // `=== undefined`, not `??`: a null from JavaScript is a wrong value, not a missing one.
  const claimsPerPod = scale.claimsPerPod === undefined ? 1 : scale.claimsPerPod;
  checkNumber('claimsPerPod', claimsPerPod, 'nonNegative', MAX_CLAIMS_PER_POD);
  const podDeletionQps = scale.podDeletionQps === undefined ? scale.podCreationQps : scale.podDeletionQps;
  nonNegative('podDeletionQps', podDeletionQps);
  return { nodes: scale.nodes, podCreationQps: scale.podCreationQps, claimsPerPod, podDeletionQps };
}

function fail(field: string, value: unknown, rule: string): never {
  invalidInput('ClusterScale', field, value, rule);
}

interface ComponentSizing {
  readonly qps: number;
  readonly burst: number;
  readonly explanation: string[];
}

function sizeComponent(model: ComponentModel, scale: ValidatedScale): ComponentSizing {
  const perCreated = model.callsPerCreatedPod + scale.claimsPerPod * model.callsPerClaimOnCreate;
  const perDeleted = model.callsPerDeletedPod + scale.claimsPerPod * model.callsPerClaimOnDelete;
  const podRate = scale.podCreationQps * perCreated + scale.podDeletionQps * perDeleted;
  const node = nodeTerm(model.calibration, scale.nodes);

  const qpsCandidates: Array<[number, string]> = [
    [model.defaultQps, `the component default ${model.defaultQps}`],
    [roundUp(podRate), 'the pod-rate term'],
    [roundUp(node.qps), `the node term (${node.bound})`],
  ];
  const burstCandidates: Array<[number, string]> = [
    [model.defaultBurst, `the component default ${model.defaultBurst}`],
    [roundUp(2 * podRate), 'the pod-rate term (2 seconds of pod-driven calls)'],
    [roundUp(node.qps), `the node term (${node.bound})`],
  ];
  const [qps, qpsBound] = largest(qpsCandidates);
  const [burst, burstBound] = largest(burstCandidates);

  const deletionFormula = perDeleted > 0
    ? ` + ${scale.podDeletionQps} x (${model.callsPerDeletedPod} + ${scale.claimsPerPod} x ${model.callsPerClaimOnDelete})`
    : '';
  return {
    qps,
    burst,
    explanation: [
      `${model.name}: pod-rate term = ${scale.podCreationQps} x (${model.callsPerCreatedPod} + `
        + `${scale.claimsPerPod} x ${model.callsPerClaimOnCreate})${deletionFormula} = ${format(podRate)} calls/s; `
        + `node term = ${format(node.qps)} (${node.bound}).`,
      `  qps = max(${qpsCandidates.map(c => c[0]).join(', ')}) = ${qps}, set by ${qpsBound}; `
        + `burst = max(${burstCandidates.map(c => c[0]).join(', ')}) = ${burst}, set by ${burstBound}.`,
    ],
  };
}

/** Linear interpolation through the calibration points (and the origin below the first). */
function nodeTerm(points: CalibrationPoint[], nodes: number): { qps: number; bound: string } {
  const exact = points.find(p => p.nodes === nodes);
  if (exact) {
    return { qps: exact.qps, bound: `calibration point ${exact.source}` };
  }
  const first = points[0];
  if (nodes < first.nodes) {
    return { qps: (first.qps * nodes) / first.nodes, bound: `scaled down from ${first.source}` };
  }
  for (let i = 1; i < points.length; i++) {
    const lo = points[i - 1];
    const hi = points[i];
    if (nodes < hi.nodes) {
      return {
        qps: lo.qps + ((hi.qps - lo.qps) * (nodes - lo.nodes)) / (hi.nodes - lo.nodes),
        bound: `interpolated between ${lo.source} and ${hi.source}`,
      };
    }
  }
  const lo = points[points.length - 2];
  const hi = points[points.length - 1];
  return {
    qps: hi.qps + ((hi.qps - lo.qps) * (nodes - hi.nodes)) / (hi.nodes - lo.nodes),
    bound: `extrapolated beyond ${hi.source}`,
  };
}

function beyondCalibration(scale: ValidatedScale): string[] {
  const out: string[] = [];
  if (scale.nodes > MAX_TESTED_NODES) {
    out.push(`${scale.nodes} nodes is beyond the ${MAX_TESTED_NODES}-node limit of upstream scale tests; the node term is extrapolated.`);
  }
  if (scale.podCreationQps > MAX_TESTED_POD_QPS || scale.podDeletionQps > MAX_TESTED_POD_QPS) {
    out.push(`pod churn above ${MAX_TESTED_POD_QPS}/s is beyond SIG Scalability's SLO envelope; the pod-rate term is untested there.`);
  }
  return out;
}

function roundUp(value: number): number {
  return Math.ceil(value / STEP) * STEP;
}

/** The largest candidate; on a tie, the first listed (the default, then the pod-rate term). */
function largest(candidates: Array<[number, string]>): [number, string] {
  return candidates.reduce((best, c) => (c[0] > best[0] ? c : best));
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
