import { RULE_IDS } from '../../common/good-practice-ids';
import { GoodPracticeRule } from '../engine/finding';
import { ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';

/**
 * DRA013: without a seamless upgrade, a kubelet plugin's rollout stops the plugin on at
 * most one node at a time.
 */
export class PluginRolloutRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.pluginRollout,
    severity: FindingSeverity.WARNING,
    title: 'Kubelet plugin rollout that can stop the plugin on many nodes at once, without seamless upgrade',
    practice: '"Use drivers with seamless upgrade if available"; if you cannot, during driver downtime pods cannot start unless their claims were already prepared, '
      + 'and cleanup after the last pod of a claim waits for the driver. A DaemonSet rollout with maxUnavailable above 1 (maxUnavailable: 100% stops it everywhere) '
      + 'takes the plugin off that many nodes at once, so no pod with a claim can start on any of them meanwhile.',
    fix: 'Use a seamless upgrade (maxSurge: 1, maxUnavailable: 0) where the driver and every kubelet (1.33+) support it; otherwise keep maxUnavailable: 1 '
      + '(the DaemonSet default), so the rollout replaces the plugin one node at a time.',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    const nodes = index.options.scale?.nodes;
    for (const driver of index.drivers) {
      const strategy = driver.source.object.spec?.updateStrategy ?? {};
      if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') continue;
      const rolling = strategy.rollingUpdate ?? {};
      // The API allows exactly one of maxSurge and maxUnavailable non-zero: a surge is a seamless upgrade.
      if (amount(rolling.maxSurge, nodes) !== 0) continue;
      const maxUnavailable = rolling.maxUnavailable ?? 1;
      const stopped = amount(maxUnavailable, nodes);
      if (stopped !== undefined && stopped <= 1) continue;
      const scale = typeof maxUnavailable === 'string' && nodes !== undefined ? ` (${stopped} of the declared ${nodes} nodes)` : '';
      violations.push({
        source: driver.source,
        message: `maxUnavailable ${JSON.stringify(maxUnavailable)} without maxSurge stops the kubelet plugin on ${describe(maxUnavailable)} at once${scale}: `
          + 'no pod with a claim can start there until the new plugin registers',
      });
    }
    return { violations };
  }
}

/**
 * How many nodes an int-or-percent amounts to; a percentage of an unknown node count is
 * undefined unless zero. DaemonSets round percentages of maxUnavailable up.
 */
function amount(value: unknown, nodes: number | undefined): number | undefined {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const percent = parseFloat(String(value));
  if (!Number.isFinite(percent)) return 0;
  if (percent === 0) return 0;
  return nodes === undefined ? undefined : Math.ceil((percent / 100) * nodes);
}

function describe(maxUnavailable: unknown): string {
  if (typeof maxUnavailable === 'number') return `${maxUnavailable} nodes`;
  return String(maxUnavailable) === '100%' ? 'every node' : `${maxUnavailable} of its nodes`;
}
