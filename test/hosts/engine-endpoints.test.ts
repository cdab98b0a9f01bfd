import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { sshHostEnv } from '../support/ssh-host';
import { hostsFixture, type HostsFixture } from './support';

/** Serves the namespace engine's socket on 127.0.0.1 (plain TCP or TLS with client certificates), like `dockerd -H tcp://`. */
function engineProxy(socketPath: string, tls?: { cert: string; key: string; ca: string }): Promise<Server> {
  const pipe = (client: Socket) => {
    const engine = connect(socketPath);
    client.pipe(engine).pipe(client);
    engine.on('error', () => client.destroy());
    client.on('error', () => engine.destroy());
  };
  const server = tls ? createTlsServer({ ...tls, requestCert: true, rejectUnauthorized: true }, pipe) : createServer(pipe);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as `docker --tlsverify` uses them. */
function makeCerts(dir: string): { clientDir: string; server: { cert: string; key: string; ca: string } } {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-subj', '/CN=bt-test-ca', '-days', '1');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subject, ext] of [['server', '/CN=127.0.0.1', 'server.ext'], ['client', '/CN=bt-test-client', 'client.ext']]) {
    ssl('req', ...ec, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}-cert.pem`, '-days', '1', '-extfile', ext);
  }
  const clientDir = join(dir, 'client');
  mkdirSync(clientDir);
  writeFileSync(join(clientDir, 'ca.pem'), readFileSync(join(dir, 'ca.pem')));
  writeFileSync(join(clientDir, 'cert.pem'), readFileSync(join(dir, 'client-cert.pem')));
  writeFileSync(join(clientDir, 'key.pem'), readFileSync(join(dir, 'client-key.pem')));
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { clientDir, server: { cert: read('server-cert.pem'), key: read('server-key.pem'), ca: read('ca.pem') } };
}

describe('hosts reached without SSH: tcp:// engines and Docker contexts', () => {
  let fx: HostsFixture | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    server?.close();
    server = undefined;
    await fx?.close();
    fx = undefined;
  });

  it('adds tcp://host:port with TLS client certificates from --cert-path, and refuses it without them', async () => {
    const ssh = sshHostEnv();
    fx = hostsFixture();
    const certs = makeCerts(fx.dir);
    server = await engineProxy(ssh.dockerSocket, certs.server);
    const spec = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Without certificates it would be plain TCP: refused before connecting, unless --insecure …
    await expect(fx.core.hosts.add({ spec })).rejects.toMatchObject({ code: 'HOST_INSECURE', hint: expect.stringContaining('--insecure') });
    // … and this engine speaks only TLS, so even --insecure gets the engine's refusal.
    await expect(fx.core.hosts.add({ spec, insecure: true })).rejects.toMatchObject({ code: expect.stringMatching(/^ENGINE_/) });
    expect(fx.core.settings.get('hosts')).toEqual([]);
    const added = await fx.core.hosts.add({ spec, certPath: certs.clientDir });
    expect(added).toMatchObject({
      status: 'added',
      host: { status: 'ok', engine: { endpoint: { kind: 'tcp', tls: true }, dockerRootDir: expect.stringContaining('gpuhost') } },
    });
    // Ports and commands need SSH: the error says so instead of pretending.
    const id = added.status === 'added' ? added.host.id : '';
    await expect(fx.core.hosts.localPort(id, 8888)).rejects.toMatchObject({ code: 'HOST_INVALID' });
  });

  it('adds a tcp:// engine without TLS only with --insecure, and keeps a warning on the host', async () => {
    const ssh = sshHostEnv();
    fx = hostsFixture();
    server = await engineProxy(ssh.dockerSocket);
    const spec = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(fx.core.hosts.add({ spec })).rejects.toMatchObject({ code: 'HOST_INSECURE', message: expect.stringContaining(`${spec} is a Docker engine without TLS`) });
    expect(fx.core.settings.get('hosts')).toEqual([]);
    const added = await fx.core.hosts.add({ spec, insecure: true });
    expect(added).toMatchObject({ status: 'added', host: { status: 'ok', warning: expect.stringContaining('without TLS'), engine: { endpoint: { kind: 'tcp', tls: false } } } });
    expect(fx.core.settings.get('hosts')[0]).toMatchObject({ insecure: true });
    // A hosts list edited by hand (or a team file) cannot slip one in without the flag.
    fx.core.settings.update('hosts', (hosts) => hosts.map((h) => ({ ...h, insecure: undefined })));
    const id = added.status === 'added' ? added.host.id : '';
    await fx.core.engines.forget(id);
    await expect(fx.core.hosts.test(id)).rejects.toMatchObject({ code: 'HOST_INSECURE' });
  });

  it('adds a Docker context by name and uses its endpoint', async () => {
    const ssh = sshHostEnv();
    fx = hostsFixture();
    const name = 'gpu-ctx';
    const meta = join(fx.dir, '.docker', 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: `unix://${ssh.dockerSocket}`, SkipTLSVerify: false } } }));
    const added = await fx.core.hosts.add({ spec: `context:${name}` });
    expect(added).toMatchObject({ status: 'added', host: { id: name, status: 'ok', engine: { endpoint: { kind: 'unix', address: ssh.dockerSocket, source: expect.stringContaining(`context:${name}`) }, dockerRootDir: expect.stringContaining('gpuhost') } } });
    await expect(fx.core.hosts.add({ spec: 'context:missing' })).rejects.toMatchObject({ code: 'DOCKER_CONTEXT_INVALID' });
  });
});
