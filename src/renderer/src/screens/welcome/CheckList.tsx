import { useState } from 'react';
import type { CheckResult, CheckStatus } from '../../../../shared/ipc';
import { CopyButton } from '../../components/CopyButton';
import { StatusBadge, type Tone } from '../../components/StatusBadge';

const TONE: Record<CheckStatus, Tone> = { pass: 'ok', warn: 'warn', fail: 'bad', skipped: 'muted' };
const WORDS: Record<CheckStatus, [string, string]> = {
  pass: ['passed', 'passed'],
  warn: ['warning', 'warnings'],
  fail: ['failed', 'failed'],
  skipped: ['skipped', 'skipped'],
};

/** `9 passed, 1 warning, 2 skipped` */
function checkSummary(results: readonly CheckResult[]): string {
  return (['fail', 'warn', 'pass', 'skipped'] as const)
    .map((status) => [status, results.filter((r) => r.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${WORDS[status][n === 1 ? 0 : 1]}`)
    .join(', ');
}

/**
 * The machine check's results as they stream in: what was measured, against what, and what to do.
 * Once the check has finished, passed and skipped rows fold away so the ones that need attention stand out.
 */
export function CheckList({ results, finished, reportText }: { results: readonly CheckResult[]; finished: boolean; reportText?: string | null }) {
  const [showAll, setShowAll] = useState(false);
  const folded = finished && !showAll;
  const shown = folded ? results.filter((r) => r.status === 'warn' || r.status === 'fail') : results;
  return (
    <div className="checks">
      {finished && (
        <div className="check-summary">
          <span className="num">{checkSummary(results)}</span>
          <button type="button" className="btn ghost small" aria-expanded={showAll} onClick={() => setShowAll((v) => !v)}>
            {showAll ? 'Show only what needs attention' : `Show all ${results.length} checks`}
          </button>
          {reportText && <CopyButton text={reportText} label="Copy report" className="btn ghost small" />}
        </div>
      )}
      <ul className="checklist" aria-label="Machine checks">
        {shown.map((r) => (
          <li key={r.id} className="check-row" aria-label={`${r.title}: ${r.status}`}>
            <StatusBadge tone={TONE[r.status]}>{r.status}</StatusBadge>
            <span className="check-title">{r.title}</span>
            <span className="check-value">{r.value}</span>
            {r.requirement && <span className="check-req muted">{r.requirement}</span>}
            {r.hint && r.status !== 'pass' && <span className="check-hint">{r.hint}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
