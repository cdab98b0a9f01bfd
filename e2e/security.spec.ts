import { INVOKE_CHANNELS } from '../src/shared/channels';
import { RENDERER_CSP } from '../src/main/csp';
import { expect, test } from './support/app';

type Answer = { result?: unknown; error?: { code: string } };

async function call(url: string, channel: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${url}/__bridge/invoke/${channel}`, { method: 'POST', headers, body: 'null' });
  return (await response.json()) as Answer;
}

test.beforeEach(() => {
  test.skip(test.info().project.name !== 'bridge', 'The HTTP sender check belongs to the bridge; Electron has its own (unit-tested).');
});

test('calls from any origin but the app’s own are refused with FORBIDDEN_SENDER', async ({ launch }) => {
  const app = await launch();
  const port = new URL(app.url).port;
  expect(await call(app.url, 'appInfo', { origin: app.url })).toMatchObject({ result: { shell: 'bridge' } });
  for (const origin of ['http://evil.example', `http://localhost:${port}`, 'null', `http://127.0.0.1:${Number(port) + 1}`]) {
    expect(await call(app.url, 'appInfo', { origin }), origin).toEqual({
      error: expect.objectContaining({ code: 'FORBIDDEN_SENDER' }),
    });
  }
  // A request with neither Origin nor Referer (another program) is refused too.
  expect(await call(app.url, 'settingsGet', {})).toEqual({ error: expect.objectContaining({ code: 'FORBIDDEN_SENDER' }) });
  expect((await fetch(`${app.url}/__bridge/events`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
});

test('the app loaded from another origin shows FORBIDDEN_SENDER instead of working', async ({ launch }) => {
  const app = await launch();
  const foreign = app.url.replace('127.0.0.1', 'localhost');
  await app.page.goto(foreign);
  await expect(app.page.getByRole('alert').first()).toContainText('FORBIDDEN_SENDER');
});

test('the page carries the app’s CSP and exposes exactly the contract on window.benchtop', async ({ launch }) => {
  const app = await launch();
  const response = await app.page.goto(app.url);
  expect(response?.headers()['content-security-policy']).toBe(RENDERER_CSP);
  const keys = await app.page.evaluate(() => Object.keys((globalThis as unknown as { benchtop: object }).benchtop));
  expect(keys.sort()).toEqual([...INVOKE_CHANNELS, 'on'].sort());
  const frozen = await app.page.evaluate(() => Object.isFrozen((globalThis as unknown as { benchtop: object }).benchtop));
  expect(frozen).toBe(true);
});
