import { byClause, series } from './promql';
import { SignalSelectors } from './signals';

/**
 * The ResourceClaim metrics by the Kubernetes release that exports them. 1.37 renamed them
 * (KUBERNETES_CHANGES.claimMetricsRenamed, kubernetes#138542); the rules read both names, so
 * one rule file serves every version, and the window of an upgrade where kube-controller-manager
 * and kube-scheduler run different releases.
 */
export const CLAIM_METRIC_NAMES = {
  /** Claims created, by `status` (success, failure) and `admin_access`. */
  creates: {
    /** kube-controller-manager's; kube-scheduler's (1.35-1.36, with DRAExtendedResource on) counts the claims it creates for extended resources. */
    beforeRename: ['resourceclaim_controller_creates_total', 'scheduler_resourceclaim_creates_total'],
    /** One name in both components (told apart by `job`), with `owner_api_group` and `owner_api_kind` added. */
    sinceRename: ['dynamic_resource_allocation_resourceclaim_creates_total'],
  },
  /** kube-controller-manager's gauge of the claims that exist, by `allocated` and `admin_access` (and `source` from 1.36). */
  claims: {
    beforeRename: ['resourceclaim_controller_resource_claims'],
    sinceRename: ['dynamic_resource_allocation_resource_claims'],
  },
} as const;

/** The recorded rate of claim creations per second, by `status`. */
export const CLAIM_CREATES = 'dra:resourceclaim_creates:rate5m';
/** The recorded number of ResourceClaims, by `allocated`. */
export const CLAIMS = 'dra:resource_claims:sum';

/** What the claim rules need: the scrape selectors, and whether both jobs read one registry (k3s). */
export interface ClaimMetricsConfig extends SignalSelectors {
  readonly singleProcessControlPlane: boolean;
}

/** `{__name__=~"a|b", job="..."}`: any of the names, on one component's job. */
function anyOf(names: readonly string[], selector: { [label: string]: string }): string {
  return series('', selector, `__name__=~"${names.join('|')}"`);
}

function bothNames(metric: { beforeRename: readonly string[]; sinceRename: readonly string[] }): string[] {
  return [...metric.sinceRename, ...metric.beforeRename];
}

/**
 * Claim creations per second by status, summed over kube-controller-manager and
 * kube-scheduler: each job's series under either name. On k3s both jobs scrape one registry,
 * so only the controller-manager's job is read (the other would count every creation twice).
 */
export function claimCreatesExpr(config: ClaimMetricsConfig): string {
  const names = bothNames(CLAIM_METRIC_NAMES.creates);
  const jobs = config.singleProcessControlPlane ? [config.controllerManager] : [config.controllerManager, config.scheduler];
  const rates = jobs.map(selector => `rate(${anyOf(names, selector)}[5m])`);
  return `sum(${rates.join(' or ')})${byClause(config.clusterLabel, 'status')}`;
}

/** The ResourceClaims that exist, by whether they are allocated, under either name. */
export function claimsExpr(config: ClaimMetricsConfig): string {
  return `sum(${anyOf(bothNames(CLAIM_METRIC_NAMES.claims), config.controllerManager)})${byClause(config.clusterLabel, 'allocated')}`;
}
