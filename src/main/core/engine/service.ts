import type Docker from 'dockerode';
import type { EngineEndpoint, EngineInfo } from '../../../shared/contract/engine';
import { BenchtopError } from '../errors';
import { timeoutError, withTimeout } from '../timeout';
import { resolveLocalEndpoint, type ResolvedEndpoint } from './endpoint';
import { engineError } from './errors';
import { plainEngineGet } from './plain-http';

/** Builds a Docker client; may be async (the default one loads dockerode on first use). */
export type DockerFactory = (options: Docker.DockerOptions) => Docker | Promise<Docker>;

let dockerode: Promise<typeof Docker> | undefined;

/**
 * dockerode's constructor, loaded on first use: dockerode pulls in ssh2 and gRPC/protobuf, which
 * cost a CLI command that never reaches an engine (`--help`, `lock status`) a quarter of a second.
 */
export function loadDockerode(): Promise<typeof Docker> {
  dockerode ??= import('dockerode').then((m) => m.default);
  return dockerode;
}

/** The default DockerFactory: a dockerode client, dockerode loaded when the first one is built. */
export const defaultDockerFactory: DockerFactory = async (options) => new (await loadDockerode())(options);

/** Opens engines on other machines (SSH hosts, cloud VMs); the hosts service provides it. */
export interface RemoteEngineOpener {
  open(target: string): Promise<{ docker: Docker; endpoint: EngineEndpoint }>;
  /** Closes the target's connection (host removed, app quitting). */
  close?(target: string): Promise<void>;
}

export interface EngineServiceDeps {
  resolveLocal?: () => ResolvedEndpoint;
  dockerFactory?: DockerFactory;
  remote?: RemoteEngineOpener;
  /** How long a simple engine request may take before the engine counts as hanging. */
  requestTimeoutMs?: number;
}

interface Connection {
  docker: Docker;
  endpoint: EngineEndpoint;
}

export const LOCAL = 'local';

/**
 * One engine connection per target id (`local`, or a host id), created on first use and kept.
 * Every other service asks this one for a Docker client instead of building its own.
 */
export class EngineService {
  readonly #deps: Required<Omit<EngineServiceDeps, 'remote'>> & { remote?: RemoteEngineOpener };
  readonly #connections = new Map<string, Promise<Connection>>();

  constructor(deps: EngineServiceDeps = {}) {
    this.#deps = {
      resolveLocal: deps.resolveLocal ?? (() => resolveLocalEndpoint()),
      dockerFactory: deps.dockerFactory ?? defaultDockerFactory,
      remote: deps.remote,
      requestTimeoutMs: deps.requestTimeoutMs ?? 5000,
    };
  }

  get timeoutMs(): number {
    return this.#deps.requestTimeoutMs;
  }

  async connection(target = LOCAL): Promise<Connection> {
    let pending = this.#connections.get(target);
    if (!pending) {
      pending = this.#open(target);
      this.#connections.set(target, pending);
      // A failed open is not cached: the next call tries again (the user may have started Docker).
      pending.catch(() => this.#connections.delete(target));
    }
    return pending;
  }

  async docker(target = LOCAL): Promise<Docker> {
    return (await this.connection(target)).docker;
  }

  async endpoint(target = LOCAL): Promise<EngineEndpoint> {
    return (await this.connection(target)).endpoint;
  }

  /** Where a target's engine is, without building a client for it when it is the local one (no dockerode). */
  async whereIs(target = LOCAL): Promise<EngineEndpoint> {
    if (target === LOCAL && !this.#connections.has(LOCAL)) return this.#deps.resolveLocal().endpoint;
    return this.endpoint(target);
  }

  /** Runs one engine request with the timeout and the error mapping every caller needs. */
  async call<T>(target: string, what: string, request: (docker: Docker) => Promise<T>, timeoutMs = this.#deps.requestTimeoutMs): Promise<T> {
    const { docker, endpoint } = await this.connection(target);
    try {
      return await withTimeout(request(docker), timeoutMs,
        timeoutError('ENGINE_TIMEOUT', `The engine at ${endpoint.address} (${what})`, timeoutMs,
          'The engine accepted the connection but is not answering; restart Docker.'));
    } catch (error) {
      throw engineError(error, endpoint);
    }
  }

  async info(target = LOCAL): Promise<EngineInfo> {
    const { endpoint, version, info } = await this.versionAndInfo(target);
    return toEngineInfo(target, endpoint, version, info);
  }

  /**
   * The engine's `version` and `info` answers, asked at once. The local engine is asked over plain
   * HTTP, without loading dockerode (most of a short command's start-up), unless a client factory
   * was given (tests); other targets go through their connection. Aborted when the time is up.
   */
  async versionAndInfo<I = DockerInfo>(target = LOCAL, timeoutMs = this.#deps.requestTimeoutMs): Promise<{ endpoint: EngineEndpoint; version: Docker.DockerVersion; info: I }> {
    const abort = new AbortController();
    try {
      if (target === LOCAL && this.#deps.dockerFactory === defaultDockerFactory && !this.#connections.has(LOCAL)) {
        const { endpoint, options } = this.#deps.resolveLocal();
        if (endpoint.kind !== 'ssh') {
          const ask = <T>(what: string, path: string) => withTimeout(plainEngineGet<T>(options, path, abort.signal), timeoutMs,
            timeoutError('ENGINE_TIMEOUT', `The engine at ${endpoint.address} (${what})`, timeoutMs,
              'The engine accepted the connection but is not answering; restart Docker.')).catch((error: unknown) => {
            throw engineError(error, endpoint);
          });
          const [version, info] = await Promise.all([ask<Docker.DockerVersion>('version', '/version'), ask<I>('info', '/info')]);
          return { endpoint, version, info };
        }
      }
      const { endpoint } = await this.connection(target);
      // dockerode's typings omit the per-request abortSignal its methods accept.
      const [version, info] = await Promise.all([
        this.call(target, 'version', (d) => (d.version as (o: object) => Promise<Docker.DockerVersion>)({ abortSignal: abort.signal }), timeoutMs),
        this.call(target, 'info', (d) => (d.info as (o: object) => Promise<I>)({ abortSignal: abort.signal }), timeoutMs),
      ]);
      return { endpoint, version, info };
    } finally {
      abort.abort();
    }
  }

  /** Forgets a target's connection (host removed or changed). */
  async forget(target: string): Promise<void> {
    this.#connections.delete(target);
    if (target !== LOCAL) await this.#deps.remote?.close?.(target);
  }

  async close(): Promise<void> {
    const targets = [...this.#connections.keys()];
    this.#connections.clear();
    await Promise.all(targets.filter((t) => t !== LOCAL).map((t) => this.#deps.remote?.close?.(t)));
  }

  async #open(target: string): Promise<Connection> {
    if (target === LOCAL) {
      const { endpoint, options } = this.#deps.resolveLocal();
      if (endpoint.kind === 'ssh') {
        throw new BenchtopError('ENGINE_UNREACHABLE', `DOCKER_HOST points at ${endpoint.address} over SSH.`,
          'Add that machine on the Hosts page (or `benchtop host add`) so Benchtop can verify its host key, and pick it as the target.');
      }
      return { endpoint, docker: await this.#deps.dockerFactory(options) };
    }
    if (!this.#deps.remote) {
      throw new BenchtopError('HOST_NOT_FOUND', `Unknown target "${target}".`, 'Use `local` or add the host first.');
    }
    return this.#deps.remote.open(target);
  }
}

interface DockerInfo {
  Driver?: string;
  Runtimes?: Record<string, unknown>;
  DefaultRuntime?: string;
  DockerRootDir?: string;
  NCPU?: number;
  MemTotal?: number;
  OperatingSystem?: string;
  OSType?: string;
  Architecture?: string;
  KernelVersion?: string;
  CDISpecDirs?: string[];
  DiscoveredDevices?: { Source?: string; ID?: string }[];
}

export function toEngineInfo(target: string, endpoint: EngineEndpoint, version: Docker.DockerVersion, info: DockerInfo): EngineInfo {
  const components = (version as { Components?: { Name?: string }[] }).Components ?? [];
  const podman = components.some((c) => /podman/i.test(c.Name ?? '')) || /podman/i.test(String(info.OperatingSystem ?? ''));
  return {
    target,
    endpoint,
    engineKind: podman ? 'podman' : components.length > 0 || version.Version ? 'docker' : 'unknown',
    version: version.Version ?? 'unknown',
    apiVersion: version.ApiVersion ?? 'unknown',
    os: info.OperatingSystem ?? version.Os ?? 'unknown',
    arch: normalizeArch(info.Architecture ?? version.Arch ?? 'unknown'),
    kernelVersion: info.KernelVersion ?? version.KernelVersion ?? 'unknown',
    storageDriver: info.Driver ?? 'unknown',
    runtimes: Object.keys(info.Runtimes ?? {}).sort(),
    defaultRuntime: info.DefaultRuntime ?? 'runc',
    cdiDevices: (info.DiscoveredDevices ?? []).filter((d) => d.Source === 'cdi' && d.ID).map((d) => d.ID as string),
    dockerRootDir: info.DockerRootDir ?? '',
    cpus: info.NCPU ?? 0,
    memoryBytes: info.MemTotal ?? 0,
  };
}

/** Engines say x86_64/aarch64; images and Node say amd64/arm64. */
export function normalizeArch(arch: string): string {
  const map: Record<string, string> = { x86_64: 'amd64', x64: 'amd64', aarch64: 'arm64', armv7l: 'arm' };
  return map[arch] ?? arch;
}
