export type Tone = 'ok' | 'warn' | 'bad' | 'busy' | 'muted' | 'info';

/**
 * A small coloured label; the text itself carries the meaning, the colour only repeats it. A longer
 * `label` for screen readers goes in hidden text: aria-label on a plain span is ignored by most of them.
 */
export function StatusBadge({ tone, children, label }: { tone: Tone; children: string; label?: string }) {
  return (
    <span className={`badge ${tone}`}>
      {label ? (
        <>
          <span aria-hidden="true">{children}</span>
          <span className="sr-only">{label}</span>
        </>
      ) : (
        children
      )}
    </span>
  );
}
