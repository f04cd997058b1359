import { RULE_IDS } from '../../src/common/good-practice-ids';
import { ALL_RULES } from '../../src/good-practices/rules/all-rules';

test('every rule reports under an id of the one table, and every id of the table is a rule', () => {
  expect(ALL_RULES.map(rule => rule.info.id).sort()).toEqual(Object.values(RULE_IDS).sort());
});
