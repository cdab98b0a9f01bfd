import type { CheckReport, CheckResult, CheckStatus } from '../../../shared/contract/machine';

export const STATUS_MARK: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skipped: '–' };

export function summaryLine(summary: Record<CheckStatus, number>): string {
  const part = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return [
    part(summary.pass, 'passed', 'passed'),
    part(summary.warn, 'warning', 'warnings'),
    part(summary.fail, 'failed', 'failed'),
    part(summary.skipped, 'skipped', 'skipped'),
  ].join(', ');
}

/** One checklist line plus, for warnings and failures, what was needed and what to do. */
export function resultLines(result: CheckResult, titleWidth: number): string[] {
  const lines = [`${STATUS_MARK[result.status]} ${result.title.padEnd(titleWidth)}  ${result.value}`];
  if (result.status === 'warn' || result.status === 'fail') {
    const indent = ' '.repeat(titleWidth + 4);
    if (result.requirement) lines.push(`${indent}needs: ${result.requirement}`);
    if (result.hint) lines.push(`${indent}fix${result.code ? ` [${result.code}]` : ''}: ${result.hint}`);
  }
  return lines;
}

/** The whole report as plain text, for the terminal and for pasting into a help request. */
export function reportText(report: Omit<CheckReport, 'text'>, header: string): string {
  const width = Math.max(...report.results.map((r) => r.title.length));
  return [
    `${header} — ${report.startedAt} (${(report.durationMs / 1000).toFixed(2)} s)`,
    ...report.results.flatMap((r) => resultLines(r, width)),
    summaryLine(report.summary),
  ].join('\n');
}
