import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/app';

test('Settings → Copy diagnostics copies the machine check report and the recent log, without secrets', async ({ launch }) => {
  const app = await launch();
  const { page } = app;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.getByRole('button', { name: 'Copy diagnostics' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied. The full log is in' })).toBeVisible({ timeout: 60_000 });

  type ClipboardPage = { navigator: { clipboard: { readText(): Promise<string> } } };
  const text: string = await page.evaluate(() => (globalThis as unknown as ClipboardPage).navigator.clipboard.readText());
  expect(text).toMatch(/^Benchtop \S+ diagnostics, \d{4}-/);
  expect(text).toContain('== Machine check ==');
  expect(text.split('\n').filter((line) => /^[✓!✗–] /.test(line)).length).toBeGreaterThanOrEqual(5);
  // The log holds the calls the UI made, this one included.
  expect(text).toContain('== Recent log (');
  expect(text).toMatch(/api: call diagnostics/);
  if (test.info().project.name === 'bridge') {
    // The bridge keeps its log in <settings folder>/logs, like the CLI.
    const log = join(app.home, 'logs', 'benchtop.log');
    expect(existsSync(log)).toBe(true);
    expect(readFileSync(log, 'utf8')).toContain('api: call diagnostics');
  }
});
