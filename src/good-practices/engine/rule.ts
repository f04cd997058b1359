import { GoodPracticeRule } from './finding';
import { ObjectIndex, SourcedObject } from './object-index';

/** One violation a rule found, before suppressions are applied. */
export interface Violation {
  readonly source: SourcedObject;
  readonly message: string;
}

/** What a rule reports: violations, and notes when it could not run. */
export interface RuleResult {
  readonly violations: Violation[];
  readonly notes?: string[];
}

/** A good-practice check over indexed objects. */
export interface Rule {
  readonly info: GoodPracticeRule;
  check(index: ObjectIndex): RuleResult;
}
