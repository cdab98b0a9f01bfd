import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real docker-registry (Debian's distribution 2.8) configured with `auth: token`, and a small
 * loopback token service that signs RS256 JWTs with an openssl-made key whose self-signed cert the
 * registry trusts. The token service accepts one user and records each request it gets.
 */
export interface TokenRegistry {
  host: string;
  base: string;
  realm: string;
  service: string;
  username: string;
  password: string;
  /** Query strings the token service received (service, scope), for asserting the challenge flow. */
  requests: { service: string | null; scope: string | null; user: string | null }[];
  /** A push/pull token for setting up content. */
  adminToken(repository: string): string;
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startTokenRegistry(): Promise<TokenRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-token-registry-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '1', '-subj', '/CN=bt-test-token-issuer'], { stdio: 'ignore' });
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const certDer = new X509Certificate(readFileSync(join(dir, 'cert.pem'))).raw;
  const issuer = 'bt-test-issuer';
  const service = 'bt-test-registry';
  const username = 'bt-token-user';
  const password = `pw-${randomUUID()}`;
  const requests: TokenRegistry['requests'] = [];

  const sign = (subject: string, access: { type: string; name: string; actions: string[] }[]) => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] }));
    const claims = b64url(JSON.stringify({ iss: issuer, sub: subject, aud: service, exp: now + 300, nbf: now - 30, iat: now, jti: randomUUID(), access }));
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
    return `${header}.${claims}.${b64url(signature)}`;
  };

  const tokenServer: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [user, pass] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [null, null];
    requests.push({ service: url.searchParams.get('service'), scope: url.searchParams.get('scope'), user });
    if (basic && (user !== username || pass !== password)) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    // Anonymous callers get a token without access, as Docker Hub does for private repositories.
    const access = user ? url.searchParams.getAll('scope').map((s) => {
      const [type, name, actions] = s.split(':');
      return { type, name, actions: actions.split(',').filter((a) => a === 'pull') };
    }) : [];
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: sign(user ?? '', access), expires_in: 300 }));
  });
  await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
  const realm = `http://127.0.0.1:${(tokenServer.address() as { port: number }).port}/token`;

  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  writeFileSync(join(dir, 'config.yml'), `version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: ${host}
  secret: bt-test-${randomUUID()}
auth:
  token:
    realm: ${realm}
    service: ${service}
    issuer: ${issuer}
    rootcertbundle: ${join(dir, 'cert.pem')}
`);
  const registry: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  registry.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const base = `http://${host}`;
  for (let i = 0; ; i += 1) {
    const status = await fetch(`${base}/v2/`).then((r) => r.status, () => 0);
    if (status === 401) break;
    if (i > 100 || registry.exitCode !== null) throw new Error(`the token registry did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    host, base, realm, service, username, password, requests,
    adminToken: (repository) => {
      const now = Math.floor(Date.now() / 1000);
      const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] }));
      const claims = b64url(JSON.stringify({ iss: issuer, sub: 'admin', aud: service, exp: now + 300, nbf: now - 30, iat: now, jti: randomUUID(),
        access: [{ type: 'repository', name: repository, actions: ['pull', 'push'] }] }));
      return `${header}.${claims}.${b64url(createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key))}`;
    },
    async stop() {
      registry.kill('SIGTERM');
      await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
