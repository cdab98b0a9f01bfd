import type { Envelope } from '../../src/shared/errors';
import type { Channel, RequestOf, ResultOf } from '../../src/shared/ipc';
import type { AppHandle } from './app';

/**
 * Calls the app the way its page does — the bridge over HTTP from the same origin, the Electron app
 * through the page's `window.benchtop` — for a test's own setup and cleanup, never for what the test
 * asserts, which goes through the UI.
 */
export async function callBridge<K extends Channel>(app: AppHandle, channel: K, request?: RequestOf<K>): Promise<ResultOf<K>> {
  const envelope = (await app.invoke(channel, request)) as Envelope<ResultOf<K>>;
  if ('error' in envelope) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

/** Stops and removes every session of a project folder (what a test started, nothing else). */
export async function removeSessionsOf(app: AppHandle, projectDir: string): Promise<void> {
  const sessions = await callBridge(app, 'sessionList').catch(() => []);
  for (const s of sessions.filter((x) => x.projectDir === projectDir)) {
    await callBridge(app, 'sessionStop', { id: s.id }).catch(() => undefined);
    await callBridge(app, 'sessionRemove', { id: s.id }).catch(() => undefined);
  }
}
