import { useEffect } from 'react';
import type { Theme } from '../../../shared/ipc';

const darkQuery = '(prefers-color-scheme: dark)';

/** Puts the resolved theme on <html data-theme> and follows the system while the setting is `system`. */
export function useTheme(theme: Theme): void {
  useEffect(() => {
    const media = window.matchMedia(darkQuery);
    const apply = () => {
      const resolved = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme;
      document.documentElement.dataset.theme = resolved;
      document.documentElement.style.colorScheme = resolved;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}
