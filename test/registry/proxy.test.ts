import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryService } from '../../src/main/core/registry/service';
import { RegistryTransport } from '../../src/main/core/registry/transport';
import { proxyAwareFetch } from '../../src/main/core/registry/proxy';
import { noSecretBox } from '../../src/main/core/secrets';
import { testEnv } from '../support/env';
import { sshHostEnv } from '../support/ssh-host';

/**
 * A real forwarding proxy on loopback, as small as a proxy can be: `CONNECT host:port` tunnels
 * (https) and absolute-URI requests (http), each recorded; with `login`, it answers 407 without it.
 */
interface TestProxy {
  url: string;
  seen: string[];
  server: Server;
}

function startProxy(login?: string): Promise<TestProxy> {
  const seen: string[] = [];
  const allowed = (req: IncomingMessage) => !login || req.headers['proxy-authorization'] === `Basic ${Buffer.from(login).toString('base64')}`;
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (!allowed(req)) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="bt-test"' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    const upstream = request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    if (!allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="bt-test"\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server })));
}

/** The real loopback registry behind TLS on a non-loopback address (an https registry for the CONNECT path). */
function tlsFront(bindIp: string, registry: string, dir: string): Promise<{ server: TlsServer; host: string; ca: string }> {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '1', '-subj', `/CN=${bindIp}`, '-addext', `subjectAltName=IP:${bindIp}`], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const [registryHost, registryPort] = registry.split(':');
  const server = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (socket) => {
    const upstream = connect(Number(registryPort), registryHost);
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, bindIp, () => resolve({ server, host: `${bindIp}:${(server.address() as AddressInfo).port}`, ca: cert })));
}

describe('the registry client and the proxy the environment names', () => {
  const closers: (() => void)[] = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  function registryClient(env: NodeJS.ProcessEnv): RegistryService {
    const dir = mkdtempSync(join(tmpdir(), 'bt-test-proxy-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    return new RegistryService({ storedCredentials: () => [], secrets: noSecretBox, env: { PATH: process.env.PATH, HOME: dir, ...env } });
  }

  it('sends http registry requests through HTTP_PROXY, and straight to the registry when NO_PROXY covers it', async () => {
    const env = testEnv();
    const proxy = await startProxy();
    closers.push(() => proxy.server.close());
    // The same open registry, at this computer's non-loopback address (loopback never uses a proxy).
    const registry = `${sshHostEnv().hostSideIp}:${env.registry.split(':')[1]}`;
    const image = `${registry}/${env.image.repository}`;
    const common = { HTTP_PROXY: proxy.url, BENCHTOP_INSECURE_REGISTRIES: registry };
    const tags = await registryClient(common).listTags(image);
    expect(tags).toEqual(expect.arrayContaining(Object.keys(env.image.versions)));
    expect(proxy.seen).toContain(`GET http://${registry}/v2/${env.image.repository}/tags/list?n=100`);

    proxy.seen.length = 0;
    const bypass = await registryClient({ ...common, NO_PROXY: `localhost,${sshHostEnv().hostSideIp}` }).listTags(image);
    expect(bypass).toEqual(tags);
    expect(proxy.seen).toEqual([]);
    // Loopback registries never go through a proxy, like the engine's own rule.
    await registryClient({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }).listTags(`${env.registry}/${env.image.repository}`);
    expect(proxy.seen).toEqual([]);
  });

  it('tunnels https through HTTPS_PROXY with CONNECT (the proxy sees only host:port), with the proxy login from the URL', async () => {
    const env = testEnv();
    const dir = mkdtempSync(join(tmpdir(), 'bt-test-proxy-tls-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const front = await tlsFront(sshHostEnv().hostSideIp, env.authRegistry.address, dir);
    closers.push(() => front.server.close());
    const proxy = await startProxy('bt-proxy-user:bt-proxy-pass');
    closers.push(() => proxy.server.close());
    const transport = (proxyUrl: string) => {
      const procEnv = { HTTPS_PROXY: proxyUrl };
      return new RegistryTransport({
        credentialsFor: async () => ({ username: env.authRegistry.username, password: env.authRegistry.password, serveraddress: front.host, source: 'the test' }),
        insecureRegistries: () => [], env: procEnv, fetch: proxyAwareFetch(procEnv, { ca: front.ca }),
      });
    };
    const what = { what: `the tags of ${env.image.repository}` };
    const withLogin = proxy.url.replace('http://', 'http://bt-proxy-user:bt-proxy-pass@');
    const response = await transport(withLogin).request(front.host, env.image.repository, `/v2/${env.image.repository}/tags/list`, what);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { tags: string[] }).tags).toEqual(expect.arrayContaining(Object.keys(env.image.versions)));
    // The registry's 401, then the request with the login: both inside tunnels, never readable by the proxy.
    expect(proxy.seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${front.host}`]));

    // A proxy that wants a login, given none, is named in the error.
    await expect(transport(proxy.url).request(front.host, env.image.repository, `/v2/${env.image.repository}/tags/list`, what)).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE', message: expect.stringContaining(`the proxy ${proxy.url} answered 407`),
    });
    // And a proxy that is not there.
    await expect(transport('http://127.0.0.1:1').request(front.host, env.image.repository, '/v2/', what)).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE', message: expect.stringContaining('the proxy http://127.0.0.1:1 cannot be reached (ECONNREFUSED)'),
    });
  });
});

/**
 * Where a login may go. The real registry never links elsewhere, so these cases use a loopback
 * stand-in that answers what a misbehaving or hostile registry would, and records what it received.
 */
describe('credentials stay on the registry’s own origin', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  function serve(ip: string, handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    return new Promise((resolve) => server.listen(0, ip, () => resolve(`${ip}:${(server.address() as AddressInfo).port}`)));
  }

  const login = { username: 'bt-user', password: 'bt-secret-password', serveraddress: 'the registry', source: 'the test' };
  const basic = `Basic ${Buffer.from('bt-user:bt-secret-password').toString('base64')}`;

  it('never sends the login to a pagination link on another origin', async () => {
    const elsewhere: (string | undefined)[] = [];
    const other = await serve('127.0.0.2', (req, res) => {
      elsewhere.push(req.headers.authorization);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ tags: ['from-elsewhere'] }));
    });
    const registry = await serve('127.0.0.1', (req, res) => {
      if (req.headers.authorization !== basic) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="bt-test"' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', Link: `<http://${other}/v2/team/analysis/tags/list?last=a>; rel="next"` })
        .end(JSON.stringify({ tags: ['a'] }));
    });
    const dir = mkdtempSync(join(tmpdir(), 'bt-test-origin-'));
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [registry]: { auth: Buffer.from('bt-user:bt-secret-password').toString('base64') } } }));
      const client = new RegistryService({ storedCredentials: () => [], secrets: noSecretBox, env: { PATH: process.env.PATH, HOME: dir, DOCKER_CONFIG: dir } });
      expect(await client.listTags(`${registry}/team/analysis`)).toEqual(['a', 'from-elsewhere']);
      expect(elsewhere).toEqual([undefined]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a foreign page that asks for a login, and a token service on plain http, without sending it', async () => {
    const elsewhere: (string | undefined)[] = [];
    const other = await serve('127.0.0.2', (req, res) => {
      elsewhere.push(req.headers.authorization);
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="give me your password"' }).end();
    });
    const tokenRequests: (string | undefined)[] = [];
    const tokenService = await serve(sshHostEnv().hostSideIp, (req, res) => {
      tokenRequests.push(req.headers.authorization);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"token":"t"}');
    });
    const registry = await serve('127.0.0.1', (req, res) => {
      if (req.url?.startsWith('/v2/token-team/')) {
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${tokenService}/token",service="bt"` }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', Link: `<http://${other}/v2/team/analysis/tags/list?last=a>; rel="next"` })
        .end(JSON.stringify({ tags: ['a'] }));
    });
    const transport = new RegistryTransport({ credentialsFor: async () => login, insecureRegistries: () => [], env: {} });
    const page = await transport.request(registry, 'team/analysis', `http://${other}/v2/team/analysis/tags/list?last=a`, { what: 'the tags of team/analysis' }).catch((e: unknown) => e);
    expect(page).toMatchObject({ code: 'REGISTRY_AUTH_FAILED', message: expect.stringContaining(`sent Benchtop to http://${other}`) });
    expect(elsewhere).toEqual([undefined]);
    await expect(transport.request(registry, 'token-team/x', '/v2/token-team/x/tags/list', { what: 'the tags of token-team/x' })).rejects.toMatchObject({
      code: 'REGISTRY_AUTH_FAILED', message: expect.stringContaining(`http://${tokenService}, plain http`),
    });
    expect(tokenRequests).toEqual([]);
  });
});
