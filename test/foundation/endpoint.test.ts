import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveLocalEndpoint, type ResolveEnv } from '../../src/main/core/engine/endpoint';

/** A real home folder in a temp dir, with real files where the docker CLI keeps them. */
function home(files: Record<string, string> = {}): ResolveEnv & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-home-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, env: {}, home: dir, platform: 'linux', exists: existsSync, readFile: (p) => readFileSync(p, 'utf8') };
}

const contextMeta = (name: string, host: string) => ({
  [`.docker/contexts/meta/${createHash('sha256').update(name).digest('hex')}/meta.json`]: JSON.stringify({
    Name: name,
    Endpoints: { docker: { Host: host, SkipTLSVerify: false } },
  }),
});

describe('local engine resolution', () => {
  it('uses DOCKER_HOST first and says so', () => {
    const r = home({ '.docker/run/docker.sock': '' });
    r.env.DOCKER_HOST = 'unix:///run/custom/docker.sock';
    expect(resolveLocalEndpoint(r).endpoint).toEqual({ kind: 'unix', address: '/run/custom/docker.sock', source: 'DOCKER_HOST' });
  });

  it('reads tcp DOCKER_HOST with TLS material from DOCKER_CERT_PATH', () => {
    const r = home({ 'certs/ca.pem': 'CA', 'certs/cert.pem': 'CERT', 'certs/key.pem': 'KEY' });
    r.env.DOCKER_HOST = 'tcp://10.0.0.5:2376';
    r.env.DOCKER_TLS_VERIFY = '1';
    r.env.DOCKER_CERT_PATH = join(r.dir, 'certs');
    const { endpoint, options } = resolveLocalEndpoint(r);
    expect(endpoint).toMatchObject({ kind: 'tcp', address: '10.0.0.5:2376', tls: true });
    expect(options).toMatchObject({ host: '10.0.0.5', port: 2376, protocol: 'https', ca: 'CA', cert: 'CERT', key: 'KEY' });
  });

  it('then the current Docker context from ~/.docker/config.json', () => {
    const r = home({
      '.docker/config.json': JSON.stringify({ currentContext: 'colima' }),
      ...contextMeta('colima', 'unix:///Users/ana/.colima/default/docker.sock'),
      '.docker/run/docker.sock': '',
    });
    expect(resolveLocalEndpoint(r).endpoint).toEqual({
      kind: 'unix',
      address: '/Users/ana/.colima/default/docker.sock',
      source: 'context:colima',
    });
  });

  it('DOCKER_CONTEXT overrides the config file, and a missing context is a clear error', () => {
    const r = home({ '.docker/config.json': JSON.stringify({ currentContext: 'default' }) });
    r.env.DOCKER_CONTEXT = 'gone';
    expect(() => resolveLocalEndpoint(r)).toThrow(expect.objectContaining({ code: 'DOCKER_CONTEXT_INVALID' }));
  });

  it('then the usual sockets, Docker Desktop before the system socket', () => {
    const r = home({ '.docker/run/docker.sock': '', '.colima/default/docker.sock': '' });
    expect(resolveLocalEndpoint(r).endpoint).toEqual({
      kind: 'unix',
      address: join(r.dir, '.docker/run/docker.sock'),
      source: 'Docker Desktop socket',
    });
    const colima = home({ '.colima/default/docker.sock': '' });
    expect(resolveLocalEndpoint(colima).endpoint.source).toBe('Colima socket');
    const podman = home({ 'xdg/podman/podman.sock': '' });
    podman.env.XDG_RUNTIME_DIR = join(podman.dir, 'xdg');
    expect(resolveLocalEndpoint(podman).endpoint).toMatchObject({ source: 'Podman socket' });
  });

  it('falls back to /var/run/docker.sock and says whether it exists', () => {
    const r = home();
    const { endpoint } = resolveLocalEndpoint({ ...r, exists: (p) => p !== '/var/run/docker.sock' && existsSync(p) });
    expect(endpoint).toEqual({ kind: 'unix', address: '/var/run/docker.sock', source: 'default socket (not found)' });
  });

  it('rejects an unparseable DOCKER_HOST with the fix', () => {
    const r = home();
    r.env.DOCKER_HOST = 'docker.local:2375';
    expect(() => resolveLocalEndpoint(r)).toThrow(expect.objectContaining({ code: 'ENGINE_UNREACHABLE' }));
  });
});
