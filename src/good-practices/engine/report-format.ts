import { GoodPracticesReport, GoodPracticeFinding, FindingObject } from './finding';
import { describeRef, describeRefAt } from './object-index';
import { FindingSeverity } from './severity';

/**
 * The report as people read it: findings grouped by object (severity, rule id, message,
 * fix), then suppressions with their reasons, notes on rules that could not run, inputs
 * that could not be read, and a summary line.
 */
export function formatReport(report: GoodPracticesReport): string {
  const lines: string[] = [];
  const groups = new Map<string, { ref: FindingObject; findings: GoodPracticeFinding[] }>();
  for (const finding of report.findings) {
    const key = JSON.stringify(finding.object);
    const group = groups.get(key) ?? { ref: finding.object, findings: [] };
    group.findings.push(finding);
    groups.set(key, group);
  }
  for (const { ref, findings } of groups.values()) {
    lines.push(`${describeRef(ref)}${ref.location ? `  (${ref.location})` : ''}`);
    for (const f of findings) {
      lines.push(`  ${f.severity.padEnd(7)} ${f.ruleId}  ${f.message}`);
      lines.push(`                  fix: ${f.fix}`);
    }
    lines.push('');
  }
  if (report.suppressed.length > 0) {
    lines.push('Suppressed:');
    for (const s of report.suppressed) {
      lines.push(`  ${s.finding.ruleId} on ${describeRefAt(s.finding.object)}: ${s.reason}`);
    }
    lines.push('');
  }
  if (report.notes.length > 0) {
    lines.push('Notes:');
    lines.push(...report.notes.map(n => `  ${n}`));
    lines.push('');
  }
  if (report.emptyInputs.length > 0) {
    lines.push('Empty inputs (nothing to check):');
    lines.push(...report.emptyInputs.map(e => `  ${e}`));
    lines.push('');
  }
  if (report.inputErrors.length > 0) {
    lines.push('Input errors (these objects were not checked):');
    lines.push(...report.inputErrors.map(e => `  ${e}`));
    lines.push('');
  }
  lines.push(summary(report));
  return lines.join('\n');
}

/** `2 errors, 1 warning, 1 suppressed in 12 objects`. */
function summary(report: GoodPracticesReport): string {
  const errors = report.findings.filter(f => f.severity === FindingSeverity.ERROR).length;
  const warnings = report.findings.length - errors;
  const parts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (report.suppressed.length > 0) parts.push(`${report.suppressed.length} suppressed`);
  if (report.inputErrors.length > 0) parts.push(plural(report.inputErrors.length, 'unreadable input'));
  return `${parts.join(', ')} in ${plural(report.objectCount, 'object')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
