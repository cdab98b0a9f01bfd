import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ForwarderClient } from '../../src/main/core/forwarder/client';
import { runForwarder, type ForwardTransport } from '../../src/main/core/forwarder/daemon';
import { forwarderSocketPath } from '../../src/main/core/forwarder/paths';
import { createLogger } from '../../src/main/core/log/logger';

const scratch = mkdtempSync(join(tmpdir(), 'bt-test-fwd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The "host" is this machine: a channel to its 127.0.0.1:port is a plain TCP connection. */
const loopbackTransport: ForwardTransport = {
  ready: async () => undefined,
  openTcp: (_target, port) => new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  }),
  closeAll: async () => undefined,
};

/** A stand-in notebook server: answers every connection with one line naming itself. */
async function echoServer(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined); // the forwarder's liveness checks hang up at once
    socket.end(`${name}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port };
}

function readFrom(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => { text += chunk.toString(); });
    socket.once('end', () => resolve(text.trim()));
    socket.once('error', reject);
  });
}

describe('the forwarder process', () => {
  it('forwards on loopback, keeps the port while the session answers, drops it after, then exits', async () => {
    const dir = mkdtempSync(join(scratch, 'home-'));
    const socketPath = forwarderSocketPath(dir);
    const lines: string[] = [];
    const log = createLogger([{ level: 'debug', write: (l) => lines.push(l) }]);
    const running = runForwarder({ socketPath, transport: loopbackTransport, log, checkEveryMs: 50, missesAllowed: 2, lingerMs: 2_000 });
    const client = new ForwarderClient({ socketPath, log, start: () => undefined });
    const notebook = await echoServer('jupyter');

    const local = await client.forward('gpu-box', notebook.port);
    expect(await readFrom(local)).toBe('jupyter');
    // Requests are taken from this user only.
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    // Asked again (another command, `ps`), the same port comes back.
    expect(await client.forward('gpu-box', notebook.port)).toBe(local);
    expect((await client.status())?.forwards).toMatchObject([{ target: 'gpu-box', remotePort: notebook.port, localPort: local, connections: 1 }]);

    // The session stops: its port closes on the host, the forward goes, then the forwarder.
    await new Promise<void>((resolve) => notebook.server.close(() => resolve()));
    await running;
    expect(await client.status()).toBeUndefined();
    expect(lines.join('\n')).toContain('its session no longer answers on the host');
    expect(lines.join('\n')).toContain('forwarder exits: no session is forwarded');
  });

  it('a second forwarder for the same folder steps aside; stop ends the first', async () => {
    const dir = mkdtempSync(join(scratch, 'home-'));
    const socketPath = forwarderSocketPath(dir);
    const log = createLogger([]);
    const first = runForwarder({ socketPath, transport: loopbackTransport, log, lingerMs: 60_000 });
    const client = new ForwarderClient({ socketPath, log, start: () => undefined });
    const notebook = await echoServer('one');
    await client.forward('gpu-box', notebook.port);
    await runForwarder({ socketPath, transport: loopbackTransport, log });
    expect((await client.status())?.forwards).toHaveLength(1);
    expect(await client.stop()).toBe(true);
    await first;
    expect(await client.stop()).toBe(false);
    notebook.server.close();
  });

  it('the client starts a forwarder when none answers, and says so when it never comes', async () => {
    const dir = mkdtempSync(join(scratch, 'home-'));
    const socketPath = forwarderSocketPath(dir);
    const log = createLogger([]);
    let started: Promise<void> | undefined;
    const client = new ForwarderClient({ socketPath, log, start: () => { started = runForwarder({ socketPath, transport: loopbackTransport, log }); } });
    const notebook = await echoServer('started');
    expect(await readFrom(await client.forward('gpu-box', notebook.port))).toBe('started');
    await client.stop();
    await started;
    notebook.server.close();

    const never = new ForwarderClient({ socketPath: forwarderSocketPath(mkdtempSync(join(scratch, 'home-'))), log, start: () => undefined, startTimeoutMs: 300 });
    await expect(never.forward('gpu-box', 1)).rejects.toThrow(/The notebook forwarder did not start/);

    // One that ends without answering is reported at once, with what it said.
    const crashed = new ForwarderClient({ socketPath: forwarderSocketPath(mkdtempSync(join(scratch, 'home-'))), log, start: () => ({ ended: () => 'it exited with 1:\nError: boom' }) });
    await expect(crashed.forward('gpu-box', 1)).rejects.toThrow('The notebook forwarder stopped before it answered: it exited with 1:\nError: boom');
  });
});
