import { Agent, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * An http.Agent whose "sockets" are SSH channels to the remote Docker socket. dockerode hands it to
 * docker-modem (`agent` option, used for every request), so all Docker API traffic for a host rides
 * the host's one SSH connection instead of dockerode's own ssh mode, which opens a new connection
 * and runs `docker system dial-stdio` per request without checking the host key.
 */
export class ChannelAgent extends Agent {
  readonly #open: () => Promise<Duplex>;

  constructor(open: () => Promise<Duplex>) {
    // No keep-alive: a channel is cheap on an open connection, and a pooled one could outlive a reconnect.
    super({ keepAlive: false });
    this.#open = open;
  }

  override createConnection(_options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    this.#open().then(
      (channel) => callback?.(null, asSocket(channel)),
      (error: unknown) => callback?.(error instanceof Error ? error : new Error(String(error)), undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** The net.Socket methods Node's http client may call; an SSH channel has none of them. */
function asSocket(channel: Duplex): Duplex {
  const socketish = channel as Duplex & Record<string, unknown>;
  for (const name of ['setKeepAlive', 'setNoDelay', 'ref', 'unref']) {
    if (typeof socketish[name] !== 'function') socketish[name] = () => channel;
  }
  if (typeof socketish.setTimeout !== 'function') socketish.setTimeout = () => channel;
  return channel;
}
