import { DRIVER_DRAIN_CHECK_OPTIONS } from './option-prop-types';
import { isDnsSubdomain } from '../common/names';
import { checkProps } from '../common/prop-types';

/** What `DriverDrainCheck` checks the ResourceClaims against. */
export interface DriverDrainCheckOptions {
  /** The node being drained (`metadata.name` of the Node). */
  readonly nodeName: string;
  /**
   * Only claims with a device of this driver count.
   * @default - claims of any driver
   */
  readonly driverName?: string;
  /**
   * The node's labels, to match allocations whose node selector uses label expressions.
   * Node-local devices are allocated with `matchFields` on `metadata.name`, which needs
   * no labels.
   * @default - label expressions never match
   */
  readonly nodeLabels?: { [key: string]: string };
}

/**
 * The check that custom drain logic runs before it stops a node's DRA driver: the
 * driver must outlive every pod that still uses a device it prepared, or it cannot
 * unprepare it (the good-practices page, "drain the DRA driver as late as possible").
 *
 * A claim blocks the driver's removal while it is allocated to the node
 * (`status.allocation.nodeSelector` selects the node) and still reserved
 * (`status.reservedFor` is not empty). Claims allocated without a node selector are
 * not tied to one node and are ignored.
 *
 * With DeviceTaintRules (Kubernetes 1.37+) the drain procedure begins one step earlier:
 * taint the node's devices (`DraDeviceTaint` with the node's pool and `NO_EXECUTE`), wait
 * until `blockingClaims` is empty, drain, then stop the driver. The device-taint eviction
 * controller deletes the pods using the devices, and no new claim lands on them meanwhile.
 *
 * A PodDisruptionBudget cannot express this order: PDBs only apply to evictions
 * through the Eviction API, and they count pods, not the claims on one node.
 * `kubectl drain --ignore-daemonsets` never evicts DaemonSet pods; Cluster Autoscaler
 * does, unless the pod is annotated `cluster-autoscaler.kubernetes.io/enable-ds-eviction:
 * "false"` (DraDriver sets it). Then the driver pod dies with the node or when custom
 * logic deletes it, and only this check orders that after the workload pods.
 */
export class DriverDrainCheck {
  /**
   * The claims (`<namespace>/<name>`, sorted) that still block stopping the driver on
   * the node, from ResourceClaim objects as the API returns them
   * (`kubectl get resourceclaims -A -o json` → `.items`). Empty means the driver may go.
   */
  public static blockingClaims(options: DriverDrainCheckOptions, claims: any[]): string[] {
    checkProps('DriverDrainCheck.blockingClaims()', options, DRIVER_DRAIN_CHECK_OPTIONS);
    return claims
      .filter(claim => (claim?.status?.reservedFor ?? []).length > 0)
      .filter(claim => options.driverName === undefined
        || (claim.status.allocation?.devices?.results ?? []).some((r: any) => r?.driver === options.driverName))
      .filter(claim => {
        const selector = claim.status.allocation?.nodeSelector;
        return selector !== undefined && selector !== null && nodeSelectorMatches(selector, options.nodeName, options.nodeLabels ?? {});
      })
      .map(claim => `${claim.metadata?.namespace}/${claim.metadata?.name}`)
      .sort();
  }

  /**
   * A shell command for drain scripts that prints the blocking claims, one
   * `<namespace>/<name>` per line (nothing when the driver may go). It needs `kubectl`
   * and `jq`, reads the node name from `$NODE_NAME`, and matches the `metadata.name`
   * field selector that the scheduler writes for node-local devices.
   */
  public static shellCommand(driverName?: string): string {
    if (driverName !== undefined && !isDnsSubdomain(driverName)) {
      // It is pasted into a shell word: only a real driver name is safe there.
      throw new Error(`DriverDrainCheck.shellCommand: driverName '${driverName}' must be a DNS subdomain (RFC 1123)`);
    }
    const driverFilter = driverName === undefined
      ? ''
      : ` | select(any(.status.allocation.devices.results[]?; .driver == "${driverName}"))`;
    return 'kubectl get resourceclaims --all-namespaces -o json | jq -r --arg node "$NODE_NAME" \''
      + '.items[] | select((.status.reservedFor // []) | length > 0)'
      + driverFilter
      + ' | select(any(.status.allocation.nodeSelector.nodeSelectorTerms[]?.matchFields[]?;'
      + ' .key == "metadata.name" and .operator == "In" and (.values | any(. == $node))))'
      + ' | "\\(.metadata.namespace)/\\(.metadata.name)"\'';
  }

  private constructor() {}
}

/** A v1 NodeSelector: terms are ORed, requirements within a term ANDed. */
function nodeSelectorMatches(selector: any, nodeName: string, labels: { [key: string]: string }): boolean {
  const terms: any[] = selector.nodeSelectorTerms ?? [];
  return terms.some(term => {
    const expressions: any[] = term?.matchExpressions ?? [];
    const fields: any[] = term?.matchFields ?? [];
    if (expressions.length === 0 && fields.length === 0) {
      return false; // an empty term matches no node
    }
    return expressions.every(r => requirementMatches(r, labels[r.key]))
      && fields.every(r => r.key === 'metadata.name' && requirementMatches(r, nodeName));
  });
}

function requirementMatches(requirement: any, value: string | undefined): boolean {
  const values: string[] = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt': return value !== undefined && Number(value) < Number(values[0]);
    default: return false;
  }
}
