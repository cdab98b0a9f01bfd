import { expect, test } from './support/app';

test.beforeEach(() => {
  test.skip(test.info().project.name !== 'bridge', "Counts the page's calls as bridge requests; Electron's IPC is not seen as requests.");
});

test('the host list is asked once for every screen that shows it, however often they are opened', async ({ launch }) => {
  const { page } = await launch();
  const asked: string[] = [];
  page.on('request', (request) => {
    const channel = /\/__bridge\/invoke\/([^/?]+)$/.exec(new URL(request.url()).pathname)?.[1];
    if (channel) asked.push(decodeURIComponent(channel));
  });
  const nav = page.getByRole('navigation', { name: 'Main' });
  const go = (screen: string) => nav.getByRole('button', { name: screen, exact: true }).click();

  await go('Sessions');
  await expect(page.getByRole('heading', { name: 'Sessions', level: 1 })).toBeVisible();
  await go('Hosts');
  await expect(page.getByText('No hosts yet. Add a shared GPU machine above.')).toBeVisible();
  await go('Welcome');
  await go('Settings');
  // Settings offers the hosts as default targets: the list it shows is the one Hosts fetched.
  await expect(page.getByLabel('Default target')).toHaveValue('local');
  await go('Hosts');
  await expect(page.getByText('No hosts yet. Add a shared GPU machine above.')).toBeVisible();

  expect(asked.filter((c) => c === 'hostList')).toHaveLength(1);
});
