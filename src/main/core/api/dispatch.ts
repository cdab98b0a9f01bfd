import { isChannel } from '../../../shared/channels';
import type { Envelope } from '../../../shared/errors';
import { toEnvelope } from '../envelope';
import { BenchtopError } from '../errors';
import type { Handlers } from './types';

/**
 * Answers one call by name with an envelope. Shared by Electron's IPC binding and the test bridge:
 * unknown names are refused here, once, for both.
 */
export function dispatch(handlers: Handlers, channel: unknown, request: unknown): Promise<Envelope<unknown>> {
  return toEnvelope(async () => {
    if (!isChannel(channel)) throw new BenchtopError('UNKNOWN_CHANNEL', `There is no call named "${String(channel)}".`);
    const handler = handlers[channel] as (request: unknown) => unknown;
    return handler(request);
  });
}
