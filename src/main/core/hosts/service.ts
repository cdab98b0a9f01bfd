import type Docker from 'dockerode';
import type { EngineEndpoint } from '../../../shared/contract/engine';
import type { HostAddRequest, HostAddResult, HostInfo } from '../../../shared/contract/hosts';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { LOCAL, loadDockerode, type EngineService, type RemoteEngineOpener } from '../engine/service';
import { BenchtopError } from '../errors';
import type { HostConfig } from '../settings/schema';
import type { Logger } from '../log/logger';
import type { SettingsStore } from '../settings/store';
import { SshConnection, type ExecOutput, type SshTarget } from '../ssh/connection';
import { ChannelAgent } from '../ssh/docker-agent';
import { appendKnownHost } from '../ssh/known-hosts';
import { PortForwards } from '../ssh/port-forwards';
import { sshTargetFor } from '../ssh/target';
import { contextEngine, tcpEngine } from './engine-endpoints';
import { describeHost, type HostExtras } from './host-info';
import { hostConfigFor, sshQueryOf, type HostPaths } from './host-config';
import { hostKindOf } from './spec';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface HostsServiceDeps {
  settings: SettingsStore;
  engines: EngineService;
  paths: HostPaths;
  env: NodeJS.ProcessEnv;
  clock?: Clock;
  /** GPU inventory, leases and session count for host summaries (the GPU service). */
  extras?: HostExtras;
  connectTimeoutMs?: number;
  /** Connections, drops and how each host was resolved (core.log.child('hosts')). */
  log?: Logger;
  /** A Slurm cluster's summary (partitions, GPUs, limits) instead of an engine's; the Slurm service (core.ts). */
  describeCluster?: (host: HostConfig, strict: boolean) => Promise<HostInfo>;
}

/**
 * Shared hosts: adding one (with host-key trust), and the one SSH connection per host that carries
 * its Docker API traffic, port forwards and commands. Registered as the engine service's remote
 * opener, so `engines.docker('<host id>')` works for every other service.
 */
export class HostsService implements RemoteEngineOpener {
  readonly #d: HostsServiceDeps & { clock: Clock };
  readonly #connections = new Map<string, SshConnection>();
  readonly #forwards = new PortForwards();

  constructor(deps: HostsServiceDeps) {
    this.#d = { ...deps, clock: deps.clock ?? systemClock };
  }

  get paths(): HostPaths {
    return this.#d.paths;
  }

  configs(): HostConfig[] {
    return this.#d.settings.get('hosts');
  }

  config(hostId: string): HostConfig {
    const found = this.configs().find((h) => h.id === hostId);
    if (!found) {
      throw new BenchtopError('HOST_NOT_FOUND', `There is no host "${hostId}".`, 'Run `benchtop host ls` to see the hosts, or add it with `benchtop host add`.');
    }
    return found;
  }

  /** Every host with its engine, GPUs and sessions; a host that cannot be reached says why in its status. */
  list(): Promise<HostInfo[]> {
    return Promise.all(this.configs().map((h) => this.#describe(h, false)));
  }

  /** Connects to the host and answers its summary, or throws the HOST_* / ENGINE_* error that stopped it. */
  async test(hostId: string): Promise<HostInfo> {
    const host = this.config(hostId);
    return this.#describe(host, true);
  }

  #describe(host: HostConfig, strict: boolean): Promise<HostInfo> {
    if (host.kind === 'slurm' && this.#d.describeCluster) return this.#d.describeCluster(host, strict);
    return describeHost(host, this.#describeDeps(), strict);
  }

  async add(req: HostAddRequest): Promise<HostAddResult> {
    const host = await hostConfigFor(req, this.#d.paths, this.#d.env, this.#d.clock);
    const clash = this.configs().find((h) => h.id === host.id);
    const exists = () => new BenchtopError('HOST_EXISTS', `"${req.spec}" is already added as ${host.id}.`, `Test it with \`benchtop host test ${host.id}\`, or remove it first.`);
    // Adding the same spec again while its key is still untrusted simply shows the key again.
    if (clash && clash.spec !== host.spec) throw exists();
    const isSsh = hostKindOf(host.spec) === 'ssh' || this.#contextIsSsh(host);
    if (clash && !isSsh) throw exists();
    if (isSsh) {
      const connection = this.#newConnection(host);
      try {
        await connection.client();
      } catch (error) {
        const refused = connection.refusedKey;
        if (error instanceof BenchtopError && error.code === 'HOST_KEY_UNKNOWN' && refused) {
          // Kept so `hostTrust` (possibly from another process: the CLI) knows where to connect.
          this.#save(host);
          connection.close();
          const { key, target } = refused;
          // A jump host's key is named as such, so it is never compared with the destination's fingerprint.
          const jumpHost = target === connection.target ? {} : { jumpHost: `${target.hostname}:${target.port}` };
          return { status: 'needs-trust', hostId: host.id, keyType: key.keyType, fingerprint: key.fingerprint, ...jumpHost };
        }
        connection.close();
        throw error;
      }
      if (clash) {
        connection.close();
        throw exists();
      }
      this.#connections.set(host.id, connection);
    }
    this.#save(host);
    try {
      return { status: 'added', host: await this.test(host.id) };
    } catch (error) {
      await this.remove(host.id);
      throw error;
    }
  }

  /**
   * Stores the key the host presents now in known_hosts, but only when its fingerprint is the one
   * the user approved: a key that changed between the prompt and the answer is never stored.
   * Behind a jump host the first unknown key on the way is the one compared and stored (in that
   * hop's own known_hosts); the next unknown one is then reported as HOST_KEY_UNKNOWN to trust in turn.
   */
  async trust(hostId: string, fingerprint: string): Promise<HostInfo> {
    const host = this.config(hostId);
    await this.#forget(hostId);
    const connection = this.#newConnection(host);
    try {
      await connection.client();
      // Already trusted (e.g. by ssh in a terminal): keep this connection as the host's one.
      this.#connections.set(hostId, connection);
    } catch (error) {
      const refused = connection.refusedKey;
      connection.close();
      if (!(error instanceof BenchtopError) || error.code !== 'HOST_KEY_UNKNOWN' || !refused) throw error;
      const { key, target } = refused;
      const wanted = fingerprint.trim().replace(/^(SHA256:)?/, 'SHA256:');
      if (key.fingerprint !== wanted) {
        throw new BenchtopError('HOST_KEY_UNKNOWN', `${target.label} now presents ${key.keyType} ${key.fingerprint}, not the ${wanted} you accepted; nothing was stored.`,
          'Add the host again and compare the new fingerprint with the one its admin gives you.');
      }
      await appendKnownHost(target.knownHostsPath, target.hostname, target.port, key.blob);
    }
    return this.test(hostId);
  }

  async remove(hostId: string): Promise<{ removed: true }> {
    this.config(hostId);
    await this.#forget(hostId);
    this.#d.settings.update('hosts', (hosts) => hosts.filter((h) => h.id !== hostId));
    return { removed: true };
  }

  /** RemoteEngineOpener: a Docker client for a host; SSH hosts go through the host's one connection. */
  async open(target: string): Promise<{ docker: Docker; endpoint: EngineEndpoint }> {
    const host = this.config(target);
    const kind = hostKindOf(host.spec);
    if (kind === 'tcp') {
      const { endpoint, options } = tcpEngine(host);
      return { endpoint, docker: new (await loadDockerode())(options) };
    }
    if (kind === 'context' && !this.#contextIsSsh(host)) {
      const { endpoint, options } = contextEngine(host.spec.slice('context:'.length), this.#d.paths.home, this.#d.env);
      return { endpoint: { ...endpoint, source: `host:${host.id} (${endpoint.source})` }, docker: new (await loadDockerode())(options) };
    }
    const connection = this.connection(target);
    // Connect now, so a refused key or an unreachable host is the error of this call, with its HOST_* code.
    await connection.client();
    const socket = host.dockerSocket ?? DEFAULT_DOCKER_SOCKET;
    // Looked up per request, so this client keeps working when the host's connection is replaced.
    const agent = new ChannelAgent(() => this.connection(target).openStreamLocal(socket));
    // `host` only fills the request line; the agent decides where bytes go.
    const Dockerode = await loadDockerode();
    const docker = new Dockerode({ host: 'docker.invalid', port: 80, protocol: 'http', agent } as Docker.DockerOptions);
    return {
      docker,
      endpoint: { kind: 'ssh', address: `${host.user}@${host.hostname}:${host.port}`, source: `host:${host.id} (${socket})` },
    };
  }

  /** RemoteEngineOpener: closes the host's connection and its port forwards. */
  async close(target: string): Promise<void> {
    await this.#forwards.close(`${target}\0`);
    this.#connections.get(target)?.close();
    this.#connections.delete(target);
  }

  /** Closes every host connection (app quitting). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#connections.keys()].map((id) => this.close(id)));
    await this.#forwards.close();
  }

  /** The host's SSH connection (created on first use); sync and move open channels on it. */
  connection(hostId: string): SshConnection {
    let connection = this.#connections.get(hostId);
    if (!connection) {
      const host = this.config(hostId);
      if (hostKindOf(host.spec) !== 'ssh' && !this.#contextIsSsh(host)) {
        throw new BenchtopError('HOST_INVALID', `${hostId} is reached over ${host.spec.split(':')[0]}, not SSH, so Benchtop cannot open ports or run commands there.`,
          'Add the machine as an SSH host (user@host) to run sessions on it.');
      }
      connection = this.#newConnection(host);
      this.#connections.set(hostId, connection);
    }
    return connection;
  }

  /**
   * PortAccess for sessions: a 127.0.0.1 port on this computer that reaches `remotePort` on the
   * target's own 127.0.0.1, where sessions publish Jupyter. Reused per target and port.
   */
  async localPort(target: string, remotePort: number): Promise<number> {
    if (target === LOCAL) return remotePort;
    const connection = this.connection(target);
    await connection.client();
    return this.#forwards.localPort(`${target}\0${remotePort}`, () => connection.openTcp('127.0.0.1', remotePort));
  }

  /** Runs a command on an SSH host (the GPU inventory runs nvidia-smi this way). */
  exec(target: string, command: string, timeoutMs?: number): Promise<ExecOutput> {
    return this.connection(target).exec(command, timeoutMs);
  }

  #describeDeps() {
    return { engines: this.#d.engines, extras: this.#d.extras, log: this.#d.log, fingerprint: (id: string) => this.#connections.get(id)?.presentedKey?.fingerprint };
  }

  #save(host: HostConfig): void {
    this.#d.settings.update('hosts', (hosts) => [...hosts.filter((h) => h.id !== host.id), host]);
  }

  async #forget(hostId: string): Promise<void> {
    await this.#d.engines.forget(hostId);
    await this.close(hostId);
  }

  #contextIsSsh(host: HostConfig): boolean {
    return hostKindOf(host.spec) === 'context' && contextEngine(host.spec.slice('context:'.length), this.#d.paths.home, this.#d.env).endpoint.kind === 'ssh';
  }

  #newConnection(host: HostConfig): SshConnection {
    const paths = this.#d.paths;
    const first: SshTarget = {
      label: host.id,
      hostId: host.id,
      hostname: host.hostname,
      port: host.port,
      user: host.user,
      identityFiles: host.identityFile ? [host.identityFile] : [],
      knownHostsPath: paths.knownHostsPath,
      connectTimeoutMs: this.#d.connectTimeoutMs,
      log: this.#d.log,
    };
    // Resolved through ssh_config on every connect (ProxyJump, IdentityAgent, known_hosts files…), as ssh(1) is.
    return new SshConnection(first, () => sshTargetFor(sshQueryOf(host), {
      configPath: paths.sshConfigPath, home: paths.home, env: this.#d.env, knownHostsPath: paths.knownHostsPath, ssh: paths.ssh,
      hostId: host.id, identityFile: host.identityFile, connectTimeoutMs: this.#d.connectTimeoutMs, log: this.#d.log,
    }));
  }

}
