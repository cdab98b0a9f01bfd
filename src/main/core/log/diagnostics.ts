import { arch, platform, release } from 'node:os';
import { recentLog } from './recent';
import { redact } from './redact';

export interface DiagnosticsInput {
  version: string;
  shell: string;
  logDir: string;
  /** The machine check's plain-text report, or why it could not run. */
  checkReport: () => Promise<string>;
  /** Start-up problems (a corrupt settings file that was backed up…). */
  warnings: readonly string[];
  now?: Date;
  /** How much of the log's end to include. */
  logBytes?: number;
}

/**
 * What a user attaches to a help request: versions, the machine check report and the end of the log,
 * as one plain text. Secrets are masked again on the way out (the log was masked when written; the
 * report holds proxy URLs that may carry a password).
 */
export async function diagnosticsText(input: DiagnosticsInput): Promise<string> {
  let report: string;
  try {
    report = await input.checkReport();
  } catch (error) {
    report = `The machine check could not run: ${error instanceof Error ? error.message : String(error)}`;
  }
  const log = recentLog(input.logDir, input.logBytes ?? 48 * 1024);
  const text = [
    `Benchtop ${input.version} diagnostics, ${(input.now ?? new Date()).toISOString()}`,
    `Shell: ${input.shell}; OS: ${platform()} ${release()} (${arch()}); Node ${process.versions.node}${process.versions.electron ? `; Electron ${process.versions.electron}` : ''}`,
    ...(input.warnings.length ? ['', 'Start-up warnings:', ...input.warnings.map((w) => `  ${w}`)] : []),
    '',
    '== Machine check ==',
    report.trimEnd(),
    '',
    `== Recent log (${input.logDir}) ==`,
    log.trimEnd() || '(the log is empty)',
    '',
  ].join('\n');
  return redact(text);
}
