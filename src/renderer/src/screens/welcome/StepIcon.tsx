import type { StepStatus } from '../../lib/start-flow';

const GLYPH: Record<StepStatus, string> = { waiting: '', running: '', done: '✓', failed: '!' };

/** A fixed-size circle per step; a spinner while running. Decorative: the step's label says the state. */
export function StepIcon({ status }: { status: StepStatus }) {
  return (
    <span className={`step-icon ${status}`} aria-hidden="true">
      {GLYPH[status]}
    </span>
  );
}
