import * as fs from 'fs';
import * as path from 'path';
import { DraGoodPractices } from '../../src';

const DOC = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'good-practices.md'), 'utf-8');

describe('docs/good-practices.md', () => {
  test('the rules table has one row per rule, with its id, severity and title', () => {
    const rows = DOC.split('\n').filter(line => /^\| DRA\d{3} \|/.test(line)).map(line => line.split('|').slice(1, 4).map(cell => cell.trim()));
    expect(rows).toEqual(DraGoodPractices.rules().map(rule => [rule.id, rule.severity, rule.title]));
  });
});
