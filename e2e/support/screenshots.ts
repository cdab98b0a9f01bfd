import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeProblems, scanNow, type A11yProblem } from './a11y';
import { LAPTOP_WINDOW, MIN_WINDOW, sidewaysProblems } from './layout';

/** Where screenshots for human review go (one per screen, theme and window size). */
const SCREENSHOT_DIR = resolve(import.meta.dirname, '../screenshots');

/**
 * Saves the page in both themes, following the system colour scheme (theme setting `system`), at a
 * laptop window (1280x800: `<name>-<theme>.png`) and at the minimum window (900x600:
 * `<name>-900x600-<theme>.png`), and runs axe-core on each theme: every screen state worth a
 * screenshot is checked for accessibility too. At the minimum window nothing may scroll sideways or
 * stick out past the screen's edge. The window size is left as it was found.
 */
export async function shootBothThemes(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const problems: A11yProblem[] = [];
  const layout: string[] = [];
  const before = page.viewportSize();
  try {
    for (const size of [LAPTOP_WINDOW, MIN_WINDOW]) {
      await page.setViewportSize(size);
      const suffix = size === MIN_WINDOW ? `-${size.width}x${size.height}` : '';
      for (const scheme of ['dark', 'light'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.locator(`html[data-theme="${scheme}"]`).waitFor();
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}${suffix}-${scheme}.png`), animations: 'disabled' });
        if (size === LAPTOP_WINDOW) problems.push(...(await scanNow(page, scheme)));
      }
      if (size === MIN_WINDOW) layout.push(...(await sidewaysProblems(page)));
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
  const failures = [
    ...(problems.length > 0 ? [describeProblems(name, problems)] : []),
    ...(layout.length > 0 ? [`At the ${MIN_WINDOW.width}x${MIN_WINDOW.height} minimum window, "${name}" does not hold:\n  ${layout.join('\n  ')}`] : []),
  ];
  if (failures.length > 0) throw new Error(failures.join('\n'));
}
