import type { Locator, Page } from '@playwright/test';
import { expect } from './app';

/** Presses Tab until the target has focus; fails if it is not reached within `max` presses. */
export async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    // The element's own :focus (this file compiles without the DOM library, hence the narrow type).
    if (await target.evaluate((el) => (el as unknown as { matches(selector: string): boolean }).matches(':focus')).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}
