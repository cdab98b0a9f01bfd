import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * A unix socket that accepts every connection and never answers: a wedged engine. Tests of
 * timeouts, Ctrl-C and "the engine hangs" start one per socket path and close them all at the end.
 */
export class SilentEngines {
  readonly #servers: Server[] = [];
  readonly #sockets = new Set<Socket>();

  async listen(path: string, mode?: number): Promise<string> {
    const server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('error', () => undefined); // the client hanging up is the point
    });
    this.#servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    if (mode !== undefined) chmodSync(path, mode);
    return path;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all(this.#servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
