import { RULE_IDS } from '../../common/good-practice-ids';
import { PRIORITY_CLASSES } from '../../common/kubelet-plugin-facts';
import { GoodPracticeRule } from '../engine/finding';
import { ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';

const NODE_CRITICAL = PRIORITY_CLASSES.nodeCritical;

/** DRA003: the driver is among the last pods the kubelet evicts. */
export class DriverPriorityRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.driverPriority,
    severity: FindingSeverity.WARNING,
    title: 'Driver kubelet plugin without node-critical priority',
    practice: '"When draining a node, drain the DRA driver as late as possible": the driver unprepares the devices of every pod leaving the node; '
      + 'evicted first, it cannot finish that cleanup and the devices stay unusable.',
    fix: `Set priorityClassName: ${NODE_CRITICAL} on the DaemonSet's pod template (on GKE, add a ResourceQuota scoped to that PriorityClass in the namespace).`,
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    for (const driver of index.drivers) {
      const priority = driver.podSpec.priorityClassName;
      if (priority !== NODE_CRITICAL) {
        violations.push({
          source: driver.source,
          message: `priorityClassName is ${priority === undefined ? 'not set' : `'${priority}'`}, not ${NODE_CRITICAL}: `
            + 'under node pressure the driver may be evicted before the pods whose devices it must unprepare',
        });
      }
    }
    return { violations };
  }
}
