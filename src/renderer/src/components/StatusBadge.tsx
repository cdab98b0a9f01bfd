export type Tone = 'ok' | 'warn' | 'bad' | 'busy' | 'muted' | 'info';

/** A small coloured label; the text itself carries the meaning, the colour only repeats it. */
export function StatusBadge({ tone, children, label }: { tone: Tone; children: string; label?: string }) {
  return (
    <span className={`badge ${tone}`} aria-label={label}>
      {children}
    </span>
  );
}
