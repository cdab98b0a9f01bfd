/**
 * The real engine behind a unix socket this test can take away and give back, to see what sessions
 * do when the engine stops answering (Docker restarted, laptop slept) and comes back.
 */
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreDeps } from '../../src/main/core/core';

export class EngineProxy {
  readonly path = join(mkdtempSync(join(tmpdir(), 'bt-test-engine-')), 'docker.sock');
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();

  constructor(private readonly target = '/var/run/docker.sock') {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const engine = createConnection(this.target);
      for (const s of [client, engine]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(engine).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.path, resolve));
    this.#server = server;
  }

  /** Stops answering and cuts every open connection (the events stream included). */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** How a Core reaches the engine through this proxy (`new Core({ engine })`). */
  engine(): CoreDeps['engine'] {
    return {
      resolveLocal: () => ({ endpoint: { kind: 'unix', address: this.path, source: 'test proxy' }, options: { socketPath: this.path } }),
    };
  }
}
