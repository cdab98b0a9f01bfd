import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { EngineEndpoint } from '../../../shared/contract/engine';
import { BenchtopError } from '../errors';

/** An endpoint plus the options dockerode needs to reach it. */
export interface ResolvedEndpoint {
  endpoint: EngineEndpoint;
  options: Docker.DockerOptions;
}

export interface ResolveEnv {
  env: NodeJS.ProcessEnv;
  home: string;
  platform: NodeJS.Platform;
  exists: (path: string) => boolean;
  readFile: (path: string) => string;
}

const defaultResolveEnv = (): ResolveEnv => ({
  env: process.env,
  home: homedir(),
  platform: process.platform,
  exists: existsSync,
  readFile: (path) => readFileSync(path, 'utf8'),
});

/** The sockets where engines usually listen, in the order Benchtop tries them. */
export function candidateSockets(r: Pick<ResolveEnv, 'env' | 'home' | 'platform'>): { path: string; label: string }[] {
  if (r.platform === 'win32') {
    return [
      { path: '//./pipe/docker_engine', label: 'Docker Desktop' },
      { path: '//./pipe/podman-machine-default', label: 'Podman' },
    ];
  }
  const runtime = r.env.XDG_RUNTIME_DIR;
  const list = [
    { path: join(r.home, '.docker', 'run', 'docker.sock'), label: 'Docker Desktop' },
    { path: join(r.home, '.docker', 'desktop', 'docker.sock'), label: 'Docker Desktop' },
    { path: join(r.home, '.colima', 'default', 'docker.sock'), label: 'Colima' },
    { path: join(r.home, '.colima', 'docker.sock'), label: 'Colima' },
    { path: join(r.home, '.orbstack', 'run', 'docker.sock'), label: 'OrbStack' },
  ];
  if (runtime) {
    list.push({ path: join(runtime, 'docker.sock'), label: 'rootless Docker' });
    list.push({ path: join(runtime, 'podman', 'podman.sock'), label: 'Podman' });
  }
  list.push({ path: join(r.home, '.local', 'share', 'containers', 'podman', 'machine', 'podman.sock'), label: 'Podman machine' });
  list.push({ path: '/run/podman/podman.sock', label: 'Podman' });
  list.push({ path: '/var/run/docker.sock', label: 'Docker' });
  return list;
}

/** Parses a DOCKER_HOST-style address (`unix://`, `npipe://`, `tcp://`, `ssh://`) into an endpoint. */
export function endpointFromHost(host: string, source: string, tls?: { ca?: string; cert?: string; key?: string }): ResolvedEndpoint {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new BenchtopError('ENGINE_UNREACHABLE', `The engine address "${host}" (from ${source}) is not a valid URL.`,
      'Use unix:///path/to/docker.sock, tcp://host:2376 or ssh://user@host.');
  }
  switch (url.protocol) {
    case 'unix:': {
      const path = decodeURIComponent(url.pathname);
      return { endpoint: { kind: 'unix', address: path, source }, options: { socketPath: path } };
    }
    case 'npipe:': {
      const path = host.replace(/^npipe:\/\//, '').replace(/\//g, '\\');
      return { endpoint: { kind: 'npipe', address: path, source }, options: { socketPath: path } };
    }
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const useTls = url.protocol === 'https:' || Boolean(tls?.ca || tls?.cert);
      const port = url.port ? Number(url.port) : useTls ? 2376 : 2375;
      return {
        endpoint: { kind: 'tcp', address: `${url.hostname}:${port}`, source, tls: useTls },
        options: { host: url.hostname, port, protocol: useTls ? 'https' : 'http', ...(useTls ? tls : {}) },
      };
    }
    case 'ssh:': {
      const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
      const port = url.port ? Number(url.port) : 22;
      return {
        endpoint: { kind: 'ssh', address: `${user}${url.hostname}:${port}`, source },
        // Reached through the hosts service's one SSH connection, never through dockerode's own ssh.
        options: {},
      };
    }
    default:
      throw new BenchtopError('ENGINE_UNREACHABLE', `Unsupported engine address "${host}" (from ${source}).`,
        'Use unix://, npipe://, tcp:// or ssh:// addresses.');
  }
}

function tlsFromDir(dir: string, r: ResolveEnv): { ca?: string; cert?: string; key?: string } {
  const read = (name: string) => (r.exists(join(dir, name)) ? r.readFile(join(dir, name)) : undefined);
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

/** The current Docker context's endpoint, or null for `default` / no context. */
export function contextEndpoint(r: ResolveEnv): ResolvedEndpoint | null {
  const dockerDir = r.env.DOCKER_CONFIG ?? join(r.home, '.docker');
  let name = r.env.DOCKER_CONTEXT;
  if (!name) {
    const configPath = join(dockerDir, 'config.json');
    if (!r.exists(configPath)) return null;
    try {
      name = (JSON.parse(r.readFile(configPath)) as { currentContext?: string }).currentContext;
    } catch {
      return null; // a broken config.json is the registry client's to report; fall back to sockets
    }
  }
  if (!name || name === 'default') return null;
  // node:crypto only here (a named context): loading it costs every short command a few milliseconds.
  const id = process.getBuiltinModule('node:crypto').createHash('sha256').update(name).digest('hex');
  const metaPath = join(dockerDir, 'contexts', 'meta', id, 'meta.json');
  if (!r.exists(metaPath)) {
    throw new BenchtopError('DOCKER_CONTEXT_INVALID', `Docker context "${name}" is selected but ${metaPath} does not exist.`,
      'Run `docker context use default` or `docker context ls` to pick a context that exists.');
  }
  let host: string | undefined;
  try {
    host = (JSON.parse(r.readFile(metaPath)) as { Endpoints?: { docker?: { Host?: string } } }).Endpoints?.docker?.Host;
  } catch (error) {
    throw new BenchtopError('DOCKER_CONTEXT_INVALID', `Docker context "${name}" has an unreadable ${metaPath}: ${(error as Error).message}`,
      'Recreate the context with `docker context create`.');
  }
  if (!host) {
    throw new BenchtopError('DOCKER_CONTEXT_INVALID', `Docker context "${name}" names no docker endpoint.`, 'Recreate the context with `docker context create`.');
  }
  const tlsDir = join(dockerDir, 'contexts', 'tls', id, 'docker');
  return endpointFromHost(host, `context:${name}`, r.exists(tlsDir) ? tlsFromDir(tlsDir, r) : undefined);
}

/**
 * The local engine, found the way the docker CLI finds it: DOCKER_HOST, then the current context,
 * then the usual sockets. When nothing exists, the platform default is returned (and fails to connect
 * with ENGINE_UNREACHABLE naming it).
 */
export function resolveLocalEndpoint(r: ResolveEnv = defaultResolveEnv()): ResolvedEndpoint {
  const dockerHost = r.env.DOCKER_HOST;
  if (dockerHost) {
    const certPath = r.env.DOCKER_CERT_PATH;
    const tls = r.env.DOCKER_TLS_VERIFY && certPath ? tlsFromDir(certPath, r) : undefined;
    return endpointFromHost(dockerHost, 'DOCKER_HOST', tls);
  }
  const fromContext = contextEndpoint(r);
  if (fromContext) return fromContext;
  const sockets = candidateSockets(r);
  const found = sockets.find((s) => r.exists(s.path));
  const chosen = found ?? sockets[sockets.length - 1];
  return {
    endpoint: { kind: r.platform === 'win32' ? 'npipe' : 'unix', address: chosen.path, source: found ? `${chosen.label} socket` : 'default socket (not found)' },
    options: { socketPath: chosen.path },
  };
}
