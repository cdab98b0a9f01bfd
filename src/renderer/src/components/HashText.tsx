import { CopyButton } from './CopyButton';

/**
 * A digest or key fingerprint: one line, cut with an ellipsis where space runs out (never wrapped
 * mid-hash), the whole value in its tooltip and behind a Copy button. `shown` is a shorter form to
 * display (e.g. the first 12 hex digits in a table).
 */
export function HashText({ value, shown, what }: { value: string; shown?: string; what: string }) {
  return (
    <span className="hash">
      <span className="mono hash-text" title={value} data-hash="">
        {shown ?? value}
      </span>
      <CopyButton text={value} label="Copy" name={`Copy ${what}`} className="btn ghost small" />
    </span>
  );
}
