import { RULE_IDS } from '../../common/good-practice-ids';
import { CLAIM_DRIVER_SUBRESOURCE, RESOURCE_API_GROUP } from '../../rbac/api';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, covers, describeRef, ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';

/**
 * DRA015: a grant on `resourceclaims/driver` names the driver it is for. The resource name
 * is the driver name; without `resourceNames`, the holder may write the device status of
 * every driver's claims, which the subresource exists to prevent.
 */
export class ClaimDriverGrantRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.claimDriverGrant,
    severity: FindingSeverity.WARNING,
    title: 'resourceclaims/driver granted without resourceNames: the device status of every driver\'s claims',
    practice: '"Separate permissions to DRA related APIs": from 1.36 (DRAResourceClaimGranularStatusAuthorization) a driver writes the '
      + 'device status of a claim through resourceclaims/driver, whose resource name is the driver name. A rule without resourceNames '
      + 'covers every driver: one driver\'s plugin or controller may rewrite what another driver reported (network addresses, device health).',
    fix: 'Add resourceNames: [<driverName>] to the rule (DraDriver\'s writesDeviceStatus and kubeletPluginRules do).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    for (const role of [...index.ofKind('ClusterRole'), ...index.ofKind('Role')]) {
      asArray(role.object.rules).forEach((rule, i) => {
        if (typeof rule !== 'object' || rule === null || !covers(rule.apiGroups, RESOURCE_API_GROUP)) return;
        // `*/driver` covers it too (the authorizer matches a subresource of any resource).
        const named = asArray(rule.resources).filter(r => r === CLAIM_DRIVER_SUBRESOURCE || r === '*/driver');
        if (named.length === 0 || asArray(rule.resourceNames).length > 0) return;
        violations.push({
          source: role,
          message: `rules[${i}] grants ${asArray(rule.verbs).join(', ')} on ${named.join(', ')} without resourceNames: `
            + `whoever ${describeRef(role.ref)} is bound to may write the device status of every driver's claims, not one driver's`,
        });
      });
    }
    return { violations };
  }
}
