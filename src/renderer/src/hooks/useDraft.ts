import { useCallback, useState } from 'react';

/** Drafts outlive their screen (a module-level map), not the app: nothing typed is written to disk. */
const drafts = new Map<string, string>();

/**
 * A text field's state that survives leaving the screen and coming back: what was typed into a form
 * is still there, as a new hire expects, until it is submitted (set it to '') or the app restarts.
 */
export function useDraft(key: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => drafts.get(key) ?? '');
  const set = useCallback(
    (next: string) => {
      if (next === '') drafts.delete(key);
      else drafts.set(key, next);
      setValue(next);
    },
    [key],
  );
  return [value, set];
}
