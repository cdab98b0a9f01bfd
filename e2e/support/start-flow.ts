import type { Locator, Page } from '@playwright/test';
import { expect } from './app';

/**
 * Waits, after Start was clicked, until the start flow reaches "Open the notebook: done" or shows an
 * error; an error fails the test with its text. Returns the done step.
 */
export async function waitForNotebook(page: Page, timeout: number): Promise<Locator> {
  const done = page.getByRole('list', { name: 'Start progress' }).getByRole('listitem', { name: 'Open the notebook: done' });
  await expect(done.or(page.getByRole('alert')).first()).toBeVisible({ timeout });
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);
  return done;
}
