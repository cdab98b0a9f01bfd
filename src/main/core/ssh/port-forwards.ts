import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

interface Forward {
  server: Server;
  port: Promise<number>;
  sockets: Set<Socket>;
}

/**
 * Local listeners on 127.0.0.1 (never 0.0.0.0: a Jupyter token is a password) that carry each
 * accepted connection to a remote port through an SSH channel. One listener per key (host + remote
 * port) is kept and reused, so a session keeps the same local URL while it runs.
 */
export class PortForwards {
  readonly #forwards = new Map<string, Forward>();

  /** The local port for `key`, creating the listener on first use; `open` makes one channel per connection. */
  localPort(key: string, open: () => Promise<Duplex>): Promise<number> {
    const existing = this.#forwards.get(key);
    if (existing) return existing.port;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.once('close', () => sockets.delete(socket));
      socket.pause();
      open().then(
        (channel) => {
          socket.pipe(channel).pipe(socket);
          socket.resume();
          channel.once('error', () => socket.destroy());
          channel.once('close', () => socket.end());
          socket.once('error', () => channel.destroy());
        },
        () => socket.destroy(),
      );
    });
    const port = new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
    const forward = { server, port, sockets };
    this.#forwards.set(key, forward);
    port.catch(() => this.#forwards.delete(key));
    return port;
  }

  /** Closes listeners whose key starts with `prefix` (all of one host), and their open connections. */
  async close(prefix = ''): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [key, forward] of this.#forwards) {
      if (!key.startsWith(prefix)) continue;
      this.#forwards.delete(key);
      for (const socket of forward.sockets) socket.destroy();
      closing.push(new Promise((resolve) => forward.server.close(() => resolve())));
    }
    await Promise.all(closing);
  }
}
