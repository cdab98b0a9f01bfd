import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeProblems, scanNow, type A11yProblem } from './a11y';

/** Where screenshots for human review go (one per screen and theme). */
const SCREENSHOT_DIR = resolve(import.meta.dirname, '../screenshots');

/**
 * Saves the page in both themes, following the system colour scheme (theme setting `system`), and
 * runs axe-core on each: every screen state worth a screenshot is checked for accessibility too.
 */
export async function shootBothThemes(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const problems: A11yProblem[] = [];
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.locator(`html[data-theme="${scheme}"]`).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${scheme}.png`), animations: 'disabled' });
    problems.push(...(await scanNow(page, scheme)));
  }
  if (problems.length > 0) throw new Error(describeProblems(name, problems));
}
