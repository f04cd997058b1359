import { RULE_IDS } from '../../common/good-practice-ids';
import { formatMinor, isAtLeast, KUBERNETES_CHANGES } from '../../common/kubernetes-versions';
import { parseKubernetesVersion } from '../../common/names';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, describeRef, ObjectIndex, surgingMaxSurge } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';

/** The oldest kubelet that serves two instances of one driver side by side. */
const SEAMLESS = formatMinor(KUBERNETES_CHANGES.seamlessUpgrades);

/** DRA002: a surging driver rollout (seamless upgrade) needs POD_UID and kubelets >= 1.33. */
export class SeamlessUpgradeRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.seamlessUpgrade,
    severity: FindingSeverity.ERROR,
    title: `Seamless driver upgrade (maxSurge > 0) without POD_UID, or on kubelets older than ${SEAMLESS}`,
    practice: '"Use drivers with seamless upgrade if available": two driver pods may coexist on a node only when the driver tells them apart by pod UID, '
      + `and only on kubelet ${SEAMLESS}+; otherwise the old pod removes the shared socket, the kubelet unregisters the driver and no instance is left.`,
    fix: `Pass POD_UID from the downward API (fieldRef metadata.uid) to the plugin container, and only set maxSurge > 0 when every kubelet is ${SEAMLESS}+ `
      + 'and the driver supports seamless upgrades; otherwise use maxSurge: 0.',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    const notes: string[] = [];
    const declared = index.options.minKubeletVersion;
    // The checker validated the declared version before running any rule.
    const minKubelet = declared === undefined ? undefined : parseKubernetesVersion(declared);
    for (const driver of index.drivers) {
      const maxSurge = surgingMaxSurge(driver.source.object);
      if (maxSurge === undefined) continue;
      const withoutPodUid = driver.pluginContainers.filter(c => !asArray(c.env).some(e =>
        e?.name === 'POD_UID' && e.valueFrom?.fieldRef?.fieldPath === 'metadata.uid'));
      for (const container of withoutPodUid) {
        violations.push({
          source: driver.source,
          message: `maxSurge ${JSON.stringify(maxSurge)} runs two driver pods per node during a rollout, but container '${container.name}' `
            + 'has no POD_UID from metadata.uid, so the two instances cannot tell their sockets apart (seamless upgrade)',
        });
      }
      if (minKubelet && !isAtLeast(minKubelet, KUBERNETES_CHANGES.seamlessUpgrades)) {
        violations.push({
          source: driver.source,
          message: `maxSurge ${JSON.stringify(maxSurge)} requests a seamless upgrade, which needs kubelet ${SEAMLESS}+, but the oldest kubelet is declared as ${declared}`,
        });
      } else if (!minKubelet) {
        notes.push(`DRA002: ${describeRef(driver.source.ref)} uses maxSurge ${JSON.stringify(maxSurge)} (seamless upgrade), which needs kubelet ${SEAMLESS}+ on every node; `
          + 'declare the oldest kubelet version (minKubeletVersion, --min-kubelet-version) to check it');
      }
    }
    return { violations, notes };
  }
}
