import { useCallback, useRef } from 'react';

/**
 * Focus that goes back where it came from: `remember()` when a panel or dialog opens (the opener has
 * focus), `restore(fallback)` when it closes. When the opener is gone (its card was removed) or was
 * never focusable, the fallback takes focus instead, never the page body.
 */
export function useReturnFocus(): { remember(): void; restore(fallback?: HTMLElement | null): void } {
  const opener = useRef<HTMLElement | null>(null);
  const remember = useCallback(() => {
    const active = document.activeElement;
    opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
  }, []);
  const restore = useCallback((fallback?: HTMLElement | null) => {
    const target = opener.current?.isConnected ? opener.current : fallback;
    opener.current = null;
    // After React has rendered the close (the panel's own button may still hold focus this tick).
    requestAnimationFrame(() => target?.focus());
  }, []);
  return { remember, restore };
}
