import { useEffect, useRef } from 'react';

/**
 * Keeps the step that matters in view in a list of steps (`.step.running`, else the last
 * `.step.done`): at a small window the running step would otherwise sit below the fold. Scrolls
 * only when a step's status changes, and only as far as needed.
 */
export function useRevealStep<T extends HTMLElement>(statuses: Readonly<Record<string, string>>) {
  const list = useRef<T>(null);
  const key = Object.values(statuses).join(' ');
  useEffect(() => {
    const steps = list.current?.querySelectorAll<HTMLElement>('.step');
    if (!steps?.length) return;
    const all = Array.from(steps);
    const current = all.find((s) => s.classList.contains('running')) ?? all.filter((s) => s.classList.contains('done')).at(-1);
    current?.scrollIntoView({ block: 'nearest' });
  }, [key]);
  return list;
}
