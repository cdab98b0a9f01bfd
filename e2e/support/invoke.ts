import type { Page } from '@playwright/test';
import { decodeError, type Envelope } from '../../src/shared/errors';
import type { Channel } from '../../src/shared/ipc';

/** A call to the bridge's HTTP endpoint from the app's own origin (what the page's fetch sends). */
export async function invokeOverHttp(url: string, channel: Channel, request: unknown): Promise<Envelope<unknown>> {
  const response = await fetch(`${url}/__bridge/invoke/${channel}`, {
    method: 'POST',
    headers: { origin: url, 'content-type': 'application/json' },
    body: JSON.stringify(request ?? null),
  });
  return (await response.json()) as Envelope<unknown>;
}

type PageApi = Record<string, (request: unknown) => Promise<unknown>>;

/**
 * A call through the page's `window.benchtop` (the Electron preload's IPC), for Electron where no
 * HTTP endpoint exists. The API throws the coded error as an encoded message; it is decoded back
 * into the envelope the bridge would have answered.
 */
export async function invokeInPage(page: Page, channel: Channel, request: unknown): Promise<Envelope<unknown>> {
  const answer = await page.evaluate(
    async ([name, body]) => {
      const api = (globalThis as unknown as { benchtop: PageApi }).benchtop;
      try {
        return { result: await api[name](body ?? undefined) };
      } catch (error) {
        return { thrown: error instanceof Error ? error.message : String(error) };
      }
    },
    [channel, request] as const,
  );
  return 'thrown' in answer ? { error: decodeError(new Error(answer.thrown)) } : { result: answer.result };
}
