import type { Locator, Page } from '@playwright/test';
import { expect } from './app';

/** Presses Tab until the target has focus; fails if it is not reached within `max` presses. */
export async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el.matches(':focus')).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}
