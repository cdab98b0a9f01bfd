import { expect, test } from './support/app';
import { shootBothThemes } from './support/screenshots';

// The navigation as the user reads it (ids name the screenshot files).
const SCREENS = [
  { id: 'welcome', title: 'Welcome' },
  { id: 'sessions', title: 'Sessions' },
  { id: 'project', title: 'Project' },
  { id: 'images', title: 'Images' },
  { id: 'hosts', title: 'Hosts' },
  { id: 'settings', title: 'Settings' },
];

test('the shell shows every screen with its heading, without CSP violations, in both themes', async ({ launch }) => {
  const app = await launch();
  const { page } = app;
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.reload();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByText(`v0.1.0 · ${app.kind}`)).toBeVisible();
  for (const screen of SCREENS) {
    const button = nav.getByRole('button', { name: screen.title });
    await button.click();
    await expect(button).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { level: 1, name: screen.title })).toBeVisible();
    await shootBothThemes(page, `${screen.id}-no-project`);
  }
  expect(violations).toEqual([]);
});

test('the welcome screen offers to open a project folder and lists none as recent at first', async ({ launch }) => {
  const { page } = await launch();
  await expect(page.getByRole('button', { name: 'Open project folder…' })).toBeVisible();
  await expect(page.getByText('Projects you open appear here.')).toBeVisible();
  await expect(page.getByText('No project open')).toBeVisible();
});

test('every screen is reachable from the keyboard', async ({ launch }) => {
  const { page } = await launch();
  // Tab from the top of the page: the skip link first, then into the navigation; walk it with Tab
  // and open with Enter.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Welcome' })).toBeFocused();
  for (const name of ['Sessions', 'Project', 'Images', 'Hosts', 'Settings']) {
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name, exact: true })).toBeFocused();
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});

test('screens that need a project say so and lead back to the welcome screen', async ({ launch }) => {
  const { page } = await launch();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Images' }).click();
  await expect(page.getByText('Open a project to see its image versions.')).toBeVisible();
  await page.getByRole('button', { name: 'Open a project' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
});
