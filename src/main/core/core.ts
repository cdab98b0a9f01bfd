import { randomUUID } from 'node:crypto';
import { BenchtopError } from './errors';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { headlessDesktop, type Desktop } from './desktop';
import { CloudService } from './cloud/service';
import { SlurmService } from './slurm/service';
import { describeCluster } from './slurm/host-info';
import { EngineService, type EngineServiceDeps } from './engine/service';
import { EventBus } from './events';
import { GpuService } from './gpu/service';
import { hostAgentConfig } from './gpu/agent-config';
import { GpuNoticeWatcher } from './gpu/notice-watcher';
import { NVIDIA_SMI_ARGS } from './gpu/nvidia-smi';
import { hostPathsFrom } from './hosts/paths';
import { DEFAULT_DOCKER_SOCKET, HostsService } from './hosts/service';
import { installOwner, type Owner } from './identity/owner';
import { coreLogger } from './log/core-logger';
import type { Logger } from './log/logger';
import { MachineCheckService } from './machine/service';
import { registryImageFacts } from './machine/registry-facts';
import { Operations } from './operations';
import { LockfileService } from './lockfile/service';
import { ProjectService } from './project/service';
import { ImageVersionService } from './project/versions';
import { RegistryService } from './registry/service';
import { noSecretBox, type SecretBox } from './secrets';
import { SessionService } from './session/service';
import { MoveService } from './move/service';
import { ClusterMove } from './move/cluster-move';
import { SyncService } from './sync/service';
import { SyncWatcher } from './sync/watcher';
import { clusterFolders } from './sync/cluster-folders';
import { ClusterSyncWatcher } from './sync/cluster-watcher';
import { TeamService } from './team/service';
import { linkServiceFor } from './links/for-core';
import type { LinkService } from './links/service';
import { updateServiceFor } from './updates/for-core';
import type { UpdateService } from './updates/service';
import { syncedWorkspace } from './sync/workspace';
import { dirname, join } from 'node:path';
import type { SettingsStore } from './settings/store';
import { localWorkspace, type PortAccess } from './session/adapters';

export interface CoreDeps {
  settings: SettingsStore;
  shell: 'electron' | 'bridge' | 'cli';
  secrets?: SecretBox;
  /** How to reach this computer's engine (tests: through a proxy); hosts' engines come through the hosts service. */
  engine?: Omit<EngineServiceDeps, 'remote'>;
  clock?: Clock;
  desktop?: Desktop;
  env?: NodeJS.ProcessEnv;
  /** Where the rotating log file goes (the app: Electron's logs folder); default: <settings dir>/logs. */
  logDir?: string;
  /** A ready logger instead (the CLI adds stderr for --verbose; tests may capture lines). */
  log?: Logger;
  /**
   * How this process reaches a port on a host's loopback (the CLI: the per-user forwarder, so a printed
   * URL outlives the command); default: SSH forwards held by this process.
   */
  ports?: PortAccess;
}

/**
 * Everything Benchtop does, in plain Node. The Electron main process, the CLI, the test bridge,
 * the tests and the benchmarks all build one of these; nothing in here imports 'electron'.
 * Each domain service is built here from the shared pieces, so its dependencies stay visible.
 */
export class Core {
  readonly shell: CoreDeps['shell'];
  readonly settings: SettingsStore;
  readonly secrets: SecretBox;
  readonly engines: EngineService;
  readonly clock: Clock;
  readonly desktop: Desktop;
  readonly env: NodeJS.ProcessEnv;
  /** This install: the owner of every session, lease and volume it creates. */
  readonly owner: Owner;
  /** The one logger: levels, secrets masked, a rotating file in the log folder. Use `log.child('domain')`. */
  readonly log: Logger;
  /** The folder of the log file (diagnostics read it back). */
  readonly logDir: string;
  readonly bus = new EventBus();
  /** Every long call of this process: its Operation (id, cancel signal, steps, logger); cancel by id. */
  readonly ops: Operations;
  readonly projects: ProjectService;
  readonly registry: RegistryService;
  readonly imageVersions: ImageVersionService;
  readonly lockfiles: LockfileService;
  readonly sessions: SessionService;
  readonly sync: SyncService;
  readonly syncWatcher: SyncWatcher;
  /** Keeps cluster sessions' notebooks in step while their jobs run, and syncs once after they end. */
  readonly clusterSync: ClusterSyncWatcher;
  readonly moves: MoveService;
  /** Moves to or from a Slurm cluster (local ↔ cluster ↔ shared host), notebooks and all. */
  readonly clusterMoves: ClusterMove;
  readonly gpus: GpuService;
  /** Relays the hosts' agents' notices about this install's sessions (app and bridge only). */
  readonly gpuNotices: GpuNoticeWatcher;
  readonly hosts: HostsService;
  readonly machine: MachineCheckService;
  /** The team file (project or URL): layered settings, and the team's hosts trusted by their listed fingerprints. */
  readonly team: TeamService;
  /** Cloud GPU VMs on Google Compute Engine; a running one is a host of `hosts`. */
  readonly cloud: CloudService;
  /** Slurm clusters: a session there is a batch job; Slurm queues, allocates GPUs and enforces limits. */
  readonly slurm: SlurmService;
  /** benchtop:// links: queued as they arrive, planned for the consent dialog, done only when confirmed. */
  readonly links: LinkService;
  /** The app's self-update: is a newer version published, and may the app restart now (not during a sync or move). */
  readonly updates: UpdateService;

  constructor(deps: CoreDeps) {
    this.shell = deps.shell;
    this.settings = deps.settings;
    this.secrets = deps.secrets ?? noSecretBox;
    // Engines on hosts open through the hosts service's SSH connections (built below; used only later).
    this.engines = new EngineService({ ...deps.engine, remote: { open: (t) => this.hosts.open(t), close: (t) => this.hosts.close(t) } });
    this.clock = deps.clock ?? systemClock;
    this.desktop = deps.desktop ?? headlessDesktop;
    this.env = deps.env ?? process.env;
    this.logDir = deps.logDir ?? join(dirname(this.settings.path), 'logs');
    this.log = deps.log ?? coreLogger(this.logDir, this.shell);
    this.ops = new Operations({ bus: this.bus, log: this.log.child('ops') });
    this.owner = installOwner(this.settings, this.env);
    this.projects = new ProjectService({ settings: this.settings, clock: this.clock, env: this.env });
    this.registry = new RegistryService({
      storedCredentials: () => this.settings.get('registryCredentials'),
      secrets: this.secrets,
      env: this.env,
      log: this.log.child('registry'),
    });
    this.imageVersions = new ImageVersionService({
      projects: this.projects, registry: this.registry, engines: this.engines,
      // The lockfile comes with the pin (built below; called only when something is pinned).
      lockfiles: { updateFromImage: (dir, image) => this.lockfiles.updateFromImage(dir, image) },
    });
    this.lockfiles = new LockfileService({
      projects: this.projects, registry: this.registry, engines: this.engines,
      // Built below; only called later, when drift is asked for.
      sessionTarget: async (id) => (await this.sessions.getMine(id, 'check the drift of')).target,
    });
    // Shared hosts: one SSH connection per host carries its engine, port forwards and nvidia-smi.
    this.hosts = new HostsService({
      settings: this.settings, engines: this.engines, clock: this.clock, env: this.env, paths: hostPathsFrom(this.env), log: this.log.child('hosts'),
      // The GPU service is built next; a host's GPU facts are asked for only later.
      extras: { inventory: (t) => this.gpus.inventory(t), leases: (t) => this.gpus.list(t) },
      describeCluster: (host, strict) => describeCluster(host, this.slurm, this.hosts, strict),
    });
    this.gpus = new GpuService({
      engines: this.engines, clock: this.clock, env: this.env, owner: this.owner, log: this.log.child('gpus'),
      remoteProbe: (target) => this.hosts.exec(target, `nvidia-smi ${NVIDIA_SMI_ARGS.join(' ')}`, 15_000),
      remoteExec: (target, command, timeoutMs) => this.hosts.exec(target, command, timeoutMs),
      // Each host gets its agent (idle stop, lease expiry, the queue) from the first client that needs it.
      agentConfig: hostAgentConfig(this.hosts, DEFAULT_DOCKER_SOCKET),
    });
    this.gpuNotices = new GpuNoticeWatcher({
      targets: () => this.settings.get('hosts').filter((h) => h.kind !== 'slurm').map((h) => h.id),
      notices: (target) => this.gpus.notices(target),
      show: (notice) => {
        this.bus.emit('gpuNotice', notice);
        this.desktop.notify?.(`Benchtop · ${notice.target}`, notice.message);
      },
      log: this.log.child('gpu-notices'),
    });
    this.team = new TeamService({
      settings: this.settings,
      project: async (dir) => {
        const project = await this.projects.read(dir);
        return { dir: project.dir, devcontainerPath: project.devcontainerPath, idleMinutes: project.config.idleMinutes };
      },
      hosts: this.hosts,
      env: this.env,
      log: this.log.child('team'),
    });
    this.machine = new MachineCheckService({
      engines: this.engines,
      settings: this.settings,
      clock: this.clock,
      env: this.env,
      gpuProbe: () => this.gpus.probe('local'),
      openProject: (dir) => this.projects.open(dir),
      registryFacts: registryImageFacts(this.registry),
    });
    this.sync = new SyncService({
      engines: this.engines, projects: this.projects, clock: this.clock, owner: this.owner,
      dataDir: dirname(this.settings.path), log: this.log.child('sync'),
      // A Slurm cluster's notebooks are a folder on its shared file system, synced over the login node's SSH connection.
      folders: clusterFolders({
        isCluster: (target) => this.hosts.configs().some((h) => h.id === target && h.kind === 'slurm'),
        client: (target) => this.hosts.connection(target).client(),
        notebooksFolder: (target, name) => this.slurm.notebooksFolder(target, name),
      }),
    });
    this.sessions = new SessionService({
      ports: deps.ports ?? this.hosts,
      // Remote sessions keep notebooks in a synced volume; local ones keep the project folder.
      workspace: syncedWorkspace(this.sync, localWorkspace, this.ops),
      engines: this.engines,
      bus: this.bus,
      settings: this.settings,
      clock: this.clock,
      desktop: this.desktop,
      owner: this.owner,
      projects: this.projects,
      registry: this.registry,
      lockfile: (project, labels) => this.lockfiles.assertMatches(project, labels),
      gpus: this.gpus,
      log: this.log.child('sessions'),
    });
    // A failing background sync shows on its session until a sync succeeds again.
    this.syncWatcher = new SyncWatcher(this.sync, this.bus, this.ops, {
      now: () => this.clock.now(),
      onStatus: (session, error) => this.sessions.syncStatus(session.id, error),
    });
    this.cloud = new CloudService({
      settings: this.settings, env: this.env, owner: this.owner, clock: this.clock, bus: this.bus, hosts: this.hosts,
      teamCloud: async (dir) => (await this.team.load(dir))?.cloud,
      dataDir: dirname(this.settings.path), log: this.log.child('cloud'),
    });
    this.links = linkServiceFor(this);
    this.updates = updateServiceFor(this);
    this.slurm = new SlurmService({ hosts: this.hosts, projects: this.projects, owner: this.owner, clock: this.clock, desktop: this.desktop, log: this.log.child('slurm'),
      registryLogin: (registryHost) => this.registry.credentialsFor(registryHost),
      teamDefaults: async (projectDir) => (await this.team.load(projectDir))?.slurm,
      notebooks: {
        beforeSubmit: async (projectDir, target, signal) => {
          await this.sync.sync(this.ops.create(`sync-slurm-${randomUUID()}`, signal), { projectDir, target });
        },
        watch: (projectDir, target, sessionId) => this.clusterSync.watch(projectDir, target, sessionId),
      } });
    this.clusterSync = new ClusterSyncWatcher({
      sync: this.sync, ops: this.ops, log: this.log.child('sync'),
      running: async (id) => this.slurm.get(id).then((s) => s.state !== 'ended' && s.state !== 'failed', (e: unknown) => {
        if (e instanceof BenchtopError && e.code === 'SLURM_JOB_NOT_FOUND') return false;
        throw e;
      }),
    });
    this.moves = new MoveService({ sessions: this.sessions, sync: this.sync, projects: this.projects });
    this.clusterMoves = new ClusterMove({ sessions: this.sessions, sync: this.sync, clusters: this.slurm });
  }

  /**
   * Background work of a long-running shell (the app, the test bridge): live session states from each
   * engine's events stream, the idle rule, and the periodic sync of remote sessions. The CLI, which
   * exits after one command, does not start it. An engine or host that is down now is retried by
   * the watchers and by every `list`/`up`.
   */
  start(): void {
    this.syncWatcher.start();
    // Your cluster sessions that outlived the last run keep their notebooks in step again.
    if (this.slurm.clusterIds().length > 0) {
      void this.slurm.list().then((all) => this.clusterSync.resume(all.filter((s) => s.mine && s.state !== 'ended' && s.state !== 'failed'), this.settings.get('recentProjects')))
        .catch((e: unknown) => this.log.ignored('listing cluster sessions to sync their notebooks at start', e));
    }
    this.gpuNotices.start();
    const targets = ['local', ...this.settings.get('hosts').filter((h) => h.kind !== 'slurm').map((h) => h.id)];
    // A target that is down now is retried by the watchers and by every `list`/`up`; say so in the log.
    for (const target of targets) void this.sessions.watch(target).catch((e: unknown) => this.log.ignored(`watch ${target}'s sessions at start`, e));
  }

  /** Stops background work (watchers, idle timers, connections) so the process can exit. */
  async close(): Promise<void> {
    // The operations under way first, then each service in the reverse order of its construction.
    this.ops.cancelAll();
    this.clusterSync.close();
    // The Slurm service's port forwards ride the hosts' SSH connections: closed before those.
    await this.slurm.close();
    await this.links.close();
    await this.cloud.close();
    this.syncWatcher.close();
    await this.sessions.close();
    // A sync ends by removing its helper container: let it, while the engine connections are open.
    await this.sync.idle();
    this.gpuNotices.stop();
    await this.hosts.closeAll();
    await this.engines.close();
  }
}
