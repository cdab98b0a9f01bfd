import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { BenchtopError, toErrorInfo } from '../errors';
import type { Logger } from '../log/logger';
import { withTimeout } from '../timeout';
import type { ForwardInfo, ForwarderAnswer, ForwarderStatus, ForwardRequest } from './protocol';

/** How the forwarder reaches a host: the hosts service's one SSH connection per host. */
export interface ForwardTransport {
  /** Connects (or reuses the connection), so a forward is only promised for a host that answers. */
  ready(target: string): Promise<void>;
  /** A channel to 127.0.0.1:port as the host sees it (or to remoteHost:port: a Slurm job's compute node). */
  openTcp(target: string, port: number, remoteHost?: string): Promise<Duplex>;
  closeAll(): Promise<void>;
}

export interface ForwarderOptions {
  socketPath: string;
  transport: ForwardTransport;
  log: Logger;
  /** How often each forwarded port is checked on its host (a stopped session's port stops answering). */
  checkEveryMs?: number;
  /** Checks in a row a port may fail before its forward is dropped (a restart closes it briefly). */
  missesAllowed?: number;
  /** With nothing forwarded, how long to wait for a new request before exiting. */
  lingerMs?: number;
}

/** How long one check of a forwarded port may take. */
const PROBE_TIMEOUT_MS = 15_000;

interface Forward extends ForwardInfo {
  server: Server;
  sockets: Set<Socket>;
  misses: number;
}

/**
 * The per-user forwarder: one small background process, shared by every `benchtop` command, that
 * keeps a 127.0.0.1 port open for each host session's Jupyter for as long as the session runs, so a
 * printed notebook URL keeps answering after the command that printed it has exited. It listens on
 * loopback only, answers its control requests on a socket only this user can open, drops a forward
 * once its session's port stops answering on the host, and exits when nothing is left to forward.
 * Resolves when it has shut down.
 */
export async function runForwarder(options: ForwarderOptions): Promise<void> {
  const { socketPath, transport, log } = options;
  const checkEveryMs = options.checkEveryMs ?? 5_000;
  const missesAllowed = options.missesAllowed ?? 2;
  const lingerMs = options.lingerMs ?? 30_000;
  const forwards = new Map<string, Forward>();
  /** Local ports used before, per forward, so a session that comes back keeps its URL. */
  const previousPorts = new Map<string, number>();
  let lastWanted = Date.now();
  let stopping = false;
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => { finished = resolve; });

  if (await answering(socketPath)) {
    log.info('another forwarder already answers; this one exits', { socketPath });
    return;
  }
  if (process.platform !== 'win32') rmSync(socketPath, { force: true });

  /** Forwards being set up, so two requests at once (`up` asks twice, `ps` at the same time) share one port. */
  const pending = new Map<string, Promise<Forward>>();

  const forward = async ({ target, remotePort, remoteHost }: ForwardRequest): Promise<ForwardInfo> => {
    if (typeof target !== 'string' || !target || !Number.isInteger(remotePort) || remotePort <= 0 || remotePort > 65_535
      || (remoteHost !== undefined && (typeof remoteHost !== 'string' || !/^[A-Za-z0-9._:-]{1,253}$/.test(remoteHost)))) {
      throw new BenchtopError('INVALID_ARGUMENT', `Cannot forward ${JSON.stringify({ target, remotePort, remoteHost })}.`);
    }
    if (stopping) throw new BenchtopError('CANCELLED', 'The notebook forwarder is exiting.', 'Run the command again: it starts a new forwarder.');
    lastWanted = Date.now();
    const key = remoteHost ? `${target}\0${remoteHost}:${remotePort}` : `${target}\0${remotePort}`;
    const existing = forwards.get(key);
    if (existing) return describe(existing);
    let making = pending.get(key);
    if (!making) {
      making = open(key, target, remotePort, remoteHost).finally(() => pending.delete(key));
      pending.set(key, making);
    }
    return describe(await making);
  };

  const open = async (key: string, target: string, remotePort: number, remoteHost?: string): Promise<Forward> => {
    await transport.ready(target);
    const entry: Forward = { target, remotePort, ...(remoteHost ? { remoteHost } : {}), localPort: 0, since: new Date().toISOString(), connections: 0, server: createServer(), sockets: new Set(), misses: 0 };
    entry.server.on('connection', (socket) => carry(entry, socket));
    entry.localPort = await listenLoopback(entry.server, [previousPorts.get(key), remotePort]);
    // Shutdown began while this one was being set up: it would keep the process alive with nobody to find it.
    if (stopping) {
      entry.server.close();
      throw new BenchtopError('CANCELLED', 'The notebook forwarder is exiting.', 'Run the command again: it starts a new forwarder.');
    }
    previousPorts.set(key, entry.localPort);
    forwards.set(key, entry);
    log.info(`forwarding 127.0.0.1:${entry.localPort} → ${target} ${remoteHost ?? '127.0.0.1'}:${remotePort}`);
    return entry;
  };

  const carry = (entry: Forward, socket: Socket) => {
    entry.connections += 1;
    entry.sockets.add(socket);
    socket.setNoDelay(true);
    socket.once('close', () => entry.sockets.delete(socket));
    // A browser that gives up mid-way resets its connection: that ends this connection, nothing more.
    socket.on('error', (error) => log.debug(`a connection to 127.0.0.1:${entry.localPort} ended with an error`, { error }));
    socket.pause();
    transport.openTcp(entry.target, entry.remotePort, entry.remoteHost).then(
      (channel) => {
        if (socket.destroyed) return void channel.destroy();
        socket.pipe(channel).pipe(socket);
        socket.resume();
        channel.on('error', () => socket.destroy());
        channel.once('close', () => socket.end());
        socket.once('close', () => channel.destroy());
      },
      (error: unknown) => {
        log.warn(`could not carry a connection to ${entry.target}:${entry.remotePort}`, { error });
        socket.destroy();
      },
    );
  };

  const drop = async (key: string, why: string) => {
    const entry = forwards.get(key);
    if (!entry) return;
    forwards.delete(key);
    log.info(`stopped forwarding 127.0.0.1:${entry.localPort} → ${entry.target} 127.0.0.1:${entry.remotePort}: ${why}`);
    for (const socket of entry.sockets) socket.destroy();
    await new Promise<void>((resolve) => entry.server.close(() => resolve()));
  };

  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    log.info(`forwarder exits: ${why}`);
    await Promise.all([...forwards.keys()].map((key) => drop(key, 'the forwarder is exiting')));
    // A client's idle keep-alive connection would hold close() open for good: end them all.
    const closed = new Promise<void>((resolve) => control.close(() => resolve()));
    control.closeAllConnections();
    await closed;
    await transport.closeAll().catch((error: unknown) => log.ignored('closing SSH connections on exit', error));
    if (process.platform !== 'win32') rmSync(socketPath, { force: true });
    finished();
  };

  /** A session that stopped closes its port on the host: its forward goes, and the forwarder with the last one. */
  const check = async () => {
    // The settings folder was removed (its user is gone, or a test cleaned up): nobody can find us.
    if (process.platform !== 'win32' && !existsSync(socketPath)) return shutdown('its socket was removed');
    await Promise.all([...forwards].map(async ([key, entry]) => {
      try {
        // A connection that went silent must not stall every later check: a slow answer is a miss.
        const opening = transport.openTcp(entry.target, entry.remotePort, entry.remoteHost);
        const channel = await withTimeout(opening, PROBE_TIMEOUT_MS).catch((error: unknown) => {
          // Counted as a miss below; a channel that opens after all is closed at once (its own
          // failure, if it fails instead, is this same miss).
          opening.then((late) => late.destroy(), () => undefined);
          throw error;
        });
        // Only whether it opens matters; whatever the far side says while it closes does not.
        channel.on('error', () => undefined);
        channel.destroy();
        entry.misses = 0;
      } catch (error) {
        entry.misses += 1;
        log.debug(`${entry.target}:${entry.remotePort} did not answer (${entry.misses} of ${missesAllowed})`, { error });
        if (entry.misses >= missesAllowed) await drop(key, 'its session no longer answers on the host');
      }
    }));
    if (!forwards.size && Date.now() - lastWanted >= lingerMs) await shutdown('no session is forwarded');
  };
  let checking = false;
  const timer = setInterval(() => {
    if (checking || stopping) return;
    checking = true;
    check().catch((error: unknown) => log.error('forward check failed', { error })).finally(() => { checking = false; });
  }, checkEveryMs);

  const control = createHttpServer((request, response) => {
    answer(request, response, async (path, body) => {
      if (request.method === 'POST' && path === '/forwards') return forward(body as ForwardRequest);
      if (request.method === 'GET' && path === '/status') return { pid: process.pid, forwards: [...forwards.values()].map(describe) } satisfies ForwarderStatus;
      if (request.method === 'POST' && path === '/stop') {
        setImmediate(() => void shutdown('asked to stop'));
        return { stopping: true };
      }
      throw new BenchtopError('NOT_FOUND', `No forwarder call ${request.method} ${path}.`);
    }).catch((error: unknown) => log.error('answering a control request failed', { error }));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      control.once('error', reject);
      control.listen(socketPath, () => resolve());
    });
  } catch (error) {
    clearInterval(timer);
    // Two commands started a forwarder at the same moment: the other one won.
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      log.info('another forwarder took the socket first; this one exits');
      return;
    }
    throw error;
  }
  // Only this user may ask it to open ports through their SSH connections, whatever the umask.
  if (process.platform !== 'win32') chmodSync(socketPath, 0o600);
  log.info(`forwarder ${process.pid} listening on ${socketPath}`);
  const onSignal = () => void shutdown('terminated');
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  await done;
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
}

function describe(entry: Forward): ForwardInfo {
  const { target, remotePort, remoteHost, localPort, since, connections } = entry;
  return { target, remotePort, ...(remoteHost ? { remoteHost } : {}), localPort, since, connections };
}

/** Binds 127.0.0.1 (never 0.0.0.0: a Jupyter token is a password), preferring the given ports in order. */
async function listenLoopback(server: Server, preferred: (number | undefined)[]): Promise<number> {
  for (const port of [...preferred.filter((p): p is number => !!p), 0]) {
    const bound = await new Promise<number | undefined>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        if (port !== 0 && (error.code === 'EADDRINUSE' || error.code === 'EACCES')) resolve(undefined);
        else reject(error);
      };
      server.once('error', onError);
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      });
    });
    if (bound) return bound;
  }
  throw new Error('unreachable: port 0 always binds or throws');
}

async function answer(request: IncomingMessage, response: ServerResponse, handle: (path: string, body: unknown) => Promise<unknown>): Promise<void> {
  let reply: ForwarderAnswer<unknown>;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    reply = { result: await handle(new URL(request.url ?? '/', 'http://forwarder').pathname, text ? JSON.parse(text) : undefined) };
  } catch (error) {
    reply = { error: toErrorInfo(error) };
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(reply));
}

/** True when a forwarder already answers on the socket. */
function answering(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
