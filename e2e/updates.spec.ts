import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './support/app';

// Settings → Updates against a real local feed (electron-builder's generic layout): save the
// address, check, and read what the app will do.
let server: Server | undefined;
test.afterEach(async () => {
  if (server) await new Promise((done) => server?.close(done));
});

test('the update address is saved and a newer version in the feed is announced', async ({ launch }) => {
  test.skip(test.info().project.name !== 'bridge', 'The feed check is the same code in the app; the bridge runs it against a local server.');
  server = createServer((req, res) => {
    if (/^\/benchtop\/latest(-linux|-mac)?\.yml$/.test(req.url ?? '')) res.writeHead(200, { 'content-type': 'text/yaml' }).end('version: 99.1.0\nreleaseDate: 2026-12-01T00:00:00Z\n');
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  const feed = `http://127.0.0.1:${(server.address() as AddressInfo).port}/benchtop/`;
  const app = await launch();
  const { page } = app;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Updates' });
  await section.getByLabel(/Update address/).fill('http://updates.example.com/');
  await section.getByRole('button', { name: 'Save address' }).click();
  await expect(section.getByTestId('error-code')).toHaveText('UPDATE_CHECK_FAILED');
  await section.getByLabel(/Update address/).fill(feed);
  await section.getByRole('button', { name: 'Save address' }).click();
  await section.getByRole('button', { name: 'Check for updates' }).click();
  await expect(section.getByRole('status')).toContainText('Benchtop 99.1.0 is available');
});
