import { randomBytes } from 'node:crypto';
import type { ClusterGpuJob } from '../../../shared/contract/clusters';
import { posix } from 'node:path';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Desktop } from '../desktop';
import { BenchtopError } from '../errors';
import type { HostsService } from '../hosts/service';
import type { Owner } from '../identity/owner';
import { JupyterClient } from '../jupyter/client';
import type { Logger } from '../log/logger';
import type { ProjectService } from '../project/service';
import { BENCHTOP_WORKSPACE } from '../project/jupyter-image';
import { assertPrivateJupyter } from '../session/jupyter-args';
import { PortForwards } from '../ssh/port-forwards';
import { sleep } from '../timeout';
import { keyValues, SlurmCluster } from './cluster';
import { describeJob, endWords, isSessionJob } from './describe';
import { jobScript } from './job-script';
import { runtimeNamed } from './runtime';
import { checkClusterRequest, type ClusterCheckItem } from './check';
import { projectSlurmOptions } from './project-options';
import { jobComment, parseJobComment, parseSlurmSessionId, type SlurmSessionInfo } from './session-info';
import { sshClusterShell } from './shell';
import { SlurmRest } from './rest';
import type { SlurmClusterInfo, SlurmJob } from './types';

export interface SlurmServiceDeps {
  hosts: HostsService;
  projects: ProjectService;
  owner: Owner;
  clock?: Clock;
  desktop?: Desktop;
  log: Logger;
  /** The login Benchtop uses for a registry (core.registry.credentialsFor); the job pulls with it. */
  registryLogin?: (registryHost: string) => Promise<{ username?: string; password?: string } | undefined>;
  /** The team file's Slurm defaults for a project (partition, account, QOS); the cluster's and the project's own beat them. */
  teamDefaults?: (projectDir: string) => Promise<{ partition?: string; account?: string; qos?: string } | undefined>;
  /**
   * The notebooks sync with the cluster folder the job mounts (core/sync): once before a job is
   * submitted, then kept in step while it runs and once after it ends (watch, by session id).
   */
  notebooks?: {
    beforeSubmit(projectDir: string, target: string, signal?: AbortSignal): Promise<void>;
    watch(projectDir: string, target: string, sessionId: string): void;
  };
}

export interface SlurmUpRequest {
  dir: string;
  target: string;
  gpus?: number;
  /** The session's expiry (Slurm's --time), in minutes. */
  timeMinutes?: number;
  /** Return once submitted (pending or not), without waiting for Jupyter. */
  noWait?: boolean;
  /** Overrides the project's idle minutes (0: never); `idlePollSeconds` how often the job looks. */
  idleMinutes?: number;
  idlePollSeconds?: number;
  signal?: AbortSignal;
  /** Progress in words (pending reason and place, starting, waiting for Jupyter). */
  onStep?: (step: string) => void;
  /** How often the job is looked at while waiting (ms). */
  pollMs?: number;
}

/** One GPU job of a cluster for the GPU board: yours with controls, others read-only (the contract's type). */
export type SlurmGpuJob = ClusterGpuJob;

const JUPYTER_WAIT_MS = 120_000;

/**
 * Sessions on Slurm clusters: each one is a batch job that runs the pinned image on a compute node
 * (job-script.ts). Slurm, not Benchtop, allocates GPUs, queues, enforces --time and quotas; this
 * service submits, reads the queue (squeue --json), cancels, and opens Jupyter through the login
 * node's SSH connection. The queue is the source of truth: a job's comment marks it as a session
 * with its owner, so any Benchtop finds its sessions again.
 */
export class SlurmService {
  readonly #d: SlurmServiceDeps & { clock: Clock };
  readonly #forwards = new PortForwards();
  readonly #homes = new Map<string, Promise<string>>();
  /** slurmrestd per cluster (its token and API version live as long as this service). */
  readonly #rests = new Map<string, { restUrl: string | undefined; client: SlurmRest }>();
  /**
   * How this process reaches host:port as the login node sees it (the CLI: the per-user forwarder, so
   * a printed URL outlives the command). Default: forwards held by this process.
   */
  forward: ((target: string, host: string, port: number) => Promise<number>) | undefined;

  constructor(deps: SlurmServiceDeps) {
    this.#d = { ...deps, clock: deps.clock ?? systemClock };
  }

  /** The team file's defaults; a team file that cannot be read is logged and adds nothing (the project still runs). */
  async #teamDefaults(dir: string): Promise<{ partition?: string; account?: string; qos?: string }> {
    if (!this.#d.teamDefaults) return {};
    try {
      return (await this.#d.teamDefaults(dir)) ?? {};
    } catch (error) {
      this.#d.log.warn('the team file\'s Slurm defaults could not be read; using the cluster\'s and the project\'s', { dir, error: String(error) });
      return {};
    }
  }

  /** Whether a target id names a Slurm cluster. */
  isCluster(target: string | undefined): boolean {
    if (!target) return false;
    return this.#d.hosts.configs().some((h) => h.id === target && h.kind === 'slurm');
  }

  clusterIds(): string[] {
    return this.#d.hosts.configs().filter((h) => h.kind === 'slurm').map((h) => h.id);
  }

  cluster(target: string): SlurmCluster {
    const host = this.#d.hosts.config(target);
    if (host.kind !== 'slurm') {
      throw new BenchtopError('HOST_INVALID', `${target} is a shared host, not a Slurm cluster.`, 'Add the cluster with `benchtop host add slurm://user@login-node`.');
    }
    const shell = sshClusterShell(target, () => this.#d.hosts.connection(target));
    const restUrl = host.slurm?.restUrl;
    let rest = this.#rests.get(target);
    if (!rest || rest.restUrl !== restUrl) this.#rests.set(target, rest = { restUrl, client: new SlurmRest(shell, this.#d.log.child('rest'), restUrl) });
    return new SlurmCluster(shell, rest.client);
  }

  /** Partitions, GPUs and the user's limits (the machine check of a cluster). */
  check(target: string): Promise<SlurmClusterInfo> {
    return this.cluster(target).info();
  }

  /** The machine check of a cluster for a project: controller, partition, GPUs and --time against the limits, the pin. */
  async checkProject(target: string, dir: string, asked: { gpus?: number; timeMinutes?: number } = {}): Promise<ClusterCheckItem[]> {
    const host = this.#d.hosts.config(target);
    const project = await this.#d.projects.read(dir);
    const fromProject = { ...(await this.#teamDefaults(dir)), ...host.slurm, ...projectSlurmOptions(project.text, project.devcontainerPath) };
    const info = await this.check(target).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    return checkClusterRequest(info, {
      partition: fromProject.partition,
      gpus: asked.gpus ?? fromProject.gpus ?? (project.hostRequirements.gpu === true ? 1 : 0),
      timeMinutes: asked.timeMinutes ?? fromProject.timeMinutes,
      image: project.image, pinned: Boolean(project.pinned),
    });
  }

  /** Submits the project's session as a job and (unless noWait) waits until its notebook answers. */
  async up(req: SlurmUpRequest): Promise<SlurmSessionInfo> {
    const { target } = req;
    const cluster = this.cluster(target);
    const host = this.#d.hosts.config(target);
    const project = await this.#d.projects.read(req.dir);
    // The project's own choices (customizations.benchtop.slurm) beat the cluster's, which beat the
    // team file's defaults; the request beats them all.
    const fromProject = projectSlurmOptions(project.text, project.devcontainerPath);
    const opts = { ...(await this.#teamDefaults(req.dir)), ...host.slurm, ...fromProject };
    assertPrivateJupyter(project);
    if (!project.image) {
      throw new BenchtopError('IMAGE_NOT_PINNED', `${project.devcontainerPath} names no image.`, 'Pin one with `benchtop pin`.');
    }
    if (!project.pinned) this.#d.log.warn(`${project.devcontainerPath} names ${project.image} without a digest; the cluster runs whatever that name means on its nodes`);
    const gpus = req.gpus ?? fromProject.gpus ?? (project.hostRequirements.gpu === true ? 1 : 0);
    const timeMinutes = req.timeMinutes ?? fromProject.timeMinutes;
    // One session per project and owner: a running or pending one is reused, as `up` does locally.
    const existing = (await cluster.jobs()).find((j) => {
      const mark = parseJobComment(j.comment);
      return mark?.owner.id === this.#d.owner.id && mark.project === project.name && (j.state === 'PENDING' || j.state === 'RUNNING' || j.state === 'CONFIGURING');
    });
    let jobId: string;
    if (existing) {
      jobId = existing.id;
      req.onStep?.(`reusing job ${jobId} of ${project.name} on ${target}`);
    } else {
      const shared = await this.#sharedDir(target, opts.sharedDir);
      const session = randomBytes(6).toString('hex');
      const stateDir = posix.join(shared, '.benchtop', 'jobs', session);
      const notebooksDir = posix.join(shared, project.name, 'notebooks');
      const script = jobScript({
        session, ownerId: this.#d.owner.id, image: project.image, notebooksDir, stateDir, workspace: BENCHTOP_WORKSPACE,
        jupyterArgs: project.jupyter.args, idleMinutes: req.idleMinutes ?? project.idleMinutes, idlePollSeconds: req.idlePollSeconds,
        gpuDevicePattern: opts.gpuDevicePattern, runtime: runtimeNamed(opts.runtime),
      });
      const registryAuth = await this.#registryAuth(project.image);
      if (this.#d.notebooks) {
        req.onStep?.(`syncing the notebooks to ${target}`);
        await this.#d.notebooks.beforeSubmit(project.dir, target, req.signal);
      }
      jobId = await cluster.submit({
        registryAuth, script, jobName: `benchtop-${project.name}`, partition: opts.partition, account: opts.account, qos: opts.qos, gpus,
        timeMinutes, comment: jobComment({ session, owner: this.#d.owner, project: project.name }), stateDir, makeDirs: [notebooksDir],
      });
      this.#d.log.info(`submitted job ${jobId} on ${target}`, { project: project.name, gpus, timeMinutes, partition: opts.partition, session });
      req.onStep?.(`submitted job ${jobId} on ${target}`);
    }
    this.#d.notebooks?.watch(project.dir, target, `${jobId}@${target}`);
    if (req.noWait) return this.get(`${jobId}@${target}`);
    try {
      return await this.#waitReady(target, jobId, req);
    } catch (error) {
      // The user gave up on a start this call made (Ctrl-C, Cancel): the job goes too, as a local start's container does.
      if (!existing && req.signal?.aborted) {
        this.#d.log.info(`start cancelled: cancelling job ${jobId} on ${target}`);
        await cluster.cancel(jobId).catch((e: unknown) => this.#d.log.ignored(`cancelling job ${jobId} after its start was cancelled`, e));
      }
      throw error;
    }
  }

  /** Every Benchtop session on every cluster (or one); a cluster that cannot be read is logged and skipped. */
  async list(target?: string): Promise<SlurmSessionInfo[]> {
    const targets = target ? [target] : this.clusterIds();
    const per = await Promise.all(targets.map(async (t) => {
      try {
        const jobs = await this.cluster(t).jobs();
        return jobs.filter(isSessionJob).map((j) => describeJob(t, j, jobs, this.#d.owner));
      } catch (error) {
        if (target) throw error;
        this.#d.log.ignored(`listing the sessions on cluster ${t}`, error);
        return [];
      }
    }));
    return per.flat();
  }

  /** One session, as the queue has it now (SLURM_JOB_NOT_FOUND once the queue forgot it). */
  async get(id: string): Promise<SlurmSessionInfo> {
    const { target, jobId } = this.#parse(id);
    const cluster = this.cluster(target);
    const job = await cluster.job(jobId);
    if (!job) {
      const end = await cluster.jobEnd(jobId).catch((e: unknown) => this.#d.log.ignored(`asking sacct about job ${jobId}`, e));
      if (end) {
        return { id, target, jobId, projectName: '', jobState: end.state, state: end.state === 'COMPLETED' || end.state === 'TIMEOUT' || end.state === 'CANCELLED' ? 'ended' : 'failed',
          partition: '', nodes: '', gpus: [], cards: [], gpusRequested: 0, mine: true, message: endWords(end.state) };
      }
      throw notFound(id);
    }
    const all = job.state === 'PENDING' ? await cluster.jobs() : [job];
    return describeJob(target, job, all, this.#d.owner);
  }

  /** Your session with its notebook URL on this computer (the SSH forward is made here). */
  async open(id: string): Promise<SlurmSessionInfo> {
    const info = await this.get(id);
    this.#assertMine(info, 'open');
    if (info.jobState !== 'RUNNING') throw new BenchtopError('SESSION_NOT_FOUND', `Session ${id} is not running (${info.message ?? info.jobState}).`, 'Start it again with `benchtop up --target CLUSTER`.');
    const job = await this.cluster(info.target).job(info.jobId);
    const reached = await this.#reach(info.target, job as SlurmJob);
    if (!reached) throw new BenchtopError('JUPYTER_NOT_READY', `Session ${id} runs but has not published its notebook yet.`, 'Wait a few seconds and try again.');
    return { ...info, state: 'ready', url: reached.url, hostPort: reached.port, notebooksDir: reached.notebooksDir };
  }

  /** Cancels your session's job (scancel): the job's trap and the cluster's Epilog remove its container. */
  async stop(id: string): Promise<SlurmSessionInfo> {
    const info = await this.get(id);
    this.#assertMine(info, 'stop');
    await this.cluster(info.target).cancel(info.jobId);
    this.#d.log.info(`cancelled job ${info.jobId} on ${info.target}`);
    return { ...info, state: 'ended', jobState: 'CANCELLED', message: 'ended: cancelled', url: undefined };
  }

  /** Moves your session's end (scontrol update TimeLimit); most clusters let only admins lengthen a job. */
  async extend(id: string, timeMinutes: number): Promise<SlurmSessionInfo> {
    const info = await this.get(id);
    this.#assertMine(info, 'extend');
    await this.cluster(info.target).setTimeLimit(info.jobId, timeMinutes);
    return this.get(id);
  }

  /** The cluster's GPU jobs (everyone's, from squeue --json), yours marked. */
  async gpuJobs(target: string): Promise<SlurmGpuJob[]> {
    const cluster = this.cluster(target);
    const me = cluster.shell.user();
    const jobs = await cluster.jobs();
    return jobs.filter((j) => j.gpusRequested > 0 || j.gpuIds.length > 0).map((j) => {
      const mark = parseJobComment(j.comment);
      const described = describeJob(target, j, jobs, this.#d.owner);
      return {
        jobId: j.id, user: j.user, name: j.name, state: j.state, reason: j.state === 'PENDING' ? described.message : undefined,
        partition: j.partition, nodes: j.nodes, gpus: j.gpuIds, gpusRequested: j.gpusRequested,
        startedAt: described.startedAt, endsAt: described.endsAt, session: Boolean(mark),
        mine: mark ? mark.owner.id === this.#d.owner.id : j.user === me,
      };
    });
  }

  /** The folder on the cluster's shared file system that a project's jobs mount (the notebooks sync's other side). */
  async notebooksFolder(target: string, projectName: string): Promise<string> {
    return posix.join(await this.#sharedDir(target, this.#d.hosts.config(target).slurm?.sharedDir), projectName, 'notebooks');
  }

  async close(): Promise<void> {
    await this.#forwards.close();
  }

  async #waitReady(target: string, jobId: string, req: SlurmUpRequest): Promise<SlurmSessionInfo> {
    const cluster = this.cluster(target);
    const pollMs = req.pollMs ?? 250;
    let lastStep = '';
    let waited = false;
    let jupyterSince: number | undefined;
    const step = (words: string) => {
      if (words !== lastStep) req.onStep?.(words);
      lastStep = words;
    };
    let seen: SlurmJob | undefined;
    for (;;) {
      req.signal?.throwIfAborted();
      const job = await cluster.job(jobId);
      const id = `${jobId}@${target}`;
      if (!job) throw await this.#ended(target, jobId, id, seen);
      seen = job;
      if (job.state === 'PENDING') {
        const info = describeJob(target, job, await cluster.jobs(), this.#d.owner);
        waited = true;
        step(`job ${jobId}: ${info.message}`);
      } else if (job.state === 'RUNNING') {
        const reached = await this.#reach(target, job);
        if (reached) {
          jupyterSince ??= this.#d.clock.now();
          const client = new JupyterClient(`http://127.0.0.1:${reached.port}/`, reached.token);
          const ok = await client.status(2000).then(() => true, () => false);
          if (ok) {
            const info = describeJob(target, job, [job], this.#d.owner);
            if (waited) this.#d.desktop?.notify?.(`Benchtop · ${target}`, `Your session ${info.projectName} started (job ${jobId}).`);
            return { ...info, state: 'ready', url: reached.url, hostPort: reached.port, notebooksDir: reached.notebooksDir };
          }
          if (this.#d.clock.now() - jupyterSince > JUPYTER_WAIT_MS) {
            throw new BenchtopError('JUPYTER_NOT_READY', `Job ${jobId} runs on ${job.nodes} but its Jupyter did not answer within ${JUPYTER_WAIT_MS / 1000} s.`,
              `Look at the job's log on the cluster (${reached.stateDir}/job.log); the session keeps running until you \`benchtop stop ${id}\`.`);
          }
          step(`job ${jobId} runs on ${job.nodes}: waiting for Jupyter`);
        } else {
          step(`job ${jobId} runs on ${job.nodes}: starting the container`);
        }
      } else if (job.state !== 'CONFIGURING') {
        throw await this.#ended(target, jobId, id, job);
      }
      await sleep(pollMs, req.signal);
    }
  }

  /** The local URL of a running job's Jupyter once it published its endpoint; undefined before. */
  async #reach(target: string, job: SlurmJob): Promise<{ url: string; port: number; token: string; stateDir: string; notebooksDir: string } | undefined> {
    const mark = parseJobComment(job.comment);
    if (!mark) return undefined;
    const shared = await this.#sharedDir(target, this.#d.hosts.config(target).slurm?.sharedDir);
    const stateDir = posix.join(shared, '.benchtop', 'jobs', mark.session);
    const files = await this.cluster(target).readState(stateDir, ['endpoint', 'token']);
    const endpoint = keyValues(files.endpoint);
    const token = files.token?.trim();
    if (!endpoint.port || !endpoint.node || !token || endpoint.job !== job.id) return undefined;
    const port = await this.#localPort(target, endpoint.node, Number(endpoint.port));
    return { url: `http://127.0.0.1:${port}/lab?token=${token}`, port, token, stateDir, notebooksDir: posix.join(shared, mark.project, 'notebooks') };
  }

  #localPort(target: string, host: string, port: number): Promise<number> {
    if (this.forward) return this.forward(target, host, port);
    const connection = this.#d.hosts.connection(target);
    return this.#forwards.localPort(`${target}\0${host}:${port}`, () => connection.openTcp(host, port));
  }

  /** Why a job ended before its notebook answered: Slurm's state, and the job's own last words (its log). */
  async #ended(target: string, jobId: string, id: string, job: SlurmJob | undefined): Promise<BenchtopError> {
    const cluster = this.cluster(target);
    const state = (job && job.state !== 'RUNNING' && job.state !== 'PENDING' ? job.state : undefined)
      ?? (await cluster.jobEnd(jobId).catch((e: unknown) => this.#d.log.ignored(`asking sacct how job ${jobId} ended`, e)))?.state ?? 'gone';
    const mark = job ? parseJobComment(job.comment) : undefined;
    let said = '';
    let where = `the job's folder under .benchtop/jobs in the shared folder`;
    if (mark) {
      const stateDir = posix.join(await this.#sharedDir(target, this.#d.hosts.config(target).slurm?.sharedDir), '.benchtop', 'jobs', mark.session);
      where = `${stateDir}/job.log`;
      const files = await cluster.readState(stateDir, ['ended', 'job.log']).catch((e: unknown) => this.#d.log.ignored(`reading job ${jobId}'s log`, e));
      const lines = (files?.['job.log'] ?? '').split('\n').filter((l) => /benchtop: |error/i.test(l));
      said = [files?.ended?.trim(), lines.at(-1)?.replace(/^\S+ benchtop: /, '')].filter(Boolean).join(': ');
    }
    return new BenchtopError('SLURM_JOB_FAILED', `Job ${jobId} ${endWords(state)} before its notebook answered${said ? ` (${said})` : ''}.`,
      `Look at ${where} on the cluster, or \`sacct -j ${jobId}\` there; session ${id}.`);
  }

  /** Docker's config.json for the image's registry when Benchtop has a login for it (one line), else undefined. */
  async #registryAuth(image: string): Promise<string | undefined> {
    const first = image.split('/')[0];
    // `team/analysis` or `analysis` name Docker Hub's library, for which no login is passed on.
    if (!image.includes('/') || !/[.:]|^localhost$/.test(first) || !this.#d.registryLogin) return undefined;
    const login = await this.#d.registryLogin(first);
    // A user name and password only: an identity token is not a password podman or docker could use.
    if (!login?.username || !login.password) return undefined;
    const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
    return JSON.stringify({ auths: { [first]: { auth } } });
  }

  /** The shared folder on the cluster, absolute (a relative setting is under the user's home there). */
  #sharedDir(target: string, setting: string | undefined): Promise<string> {
    if (setting?.startsWith('/')) return Promise.resolve(setting);
    let home = this.#homes.get(target);
    if (!home) {
      home = this.cluster(target).shell.run('printf %s "$HOME"').then((out) => {
        const dir = out.stdout.trim();
        if (!dir.startsWith('/')) throw new BenchtopError('SLURM_BAD_ANSWER', `${target}'s login node gave no home folder ("${dir}").`, 'Set the shared folder with --shared-dir when adding the cluster.');
        return dir;
      });
      home.catch(() => this.#homes.delete(target));
      this.#homes.set(target, home);
    }
    return home.then((h) => posix.join(h, setting ?? 'benchtop'));
  }

  #parse(id: string): { target: string; jobId: string } {
    const parsed = parseSlurmSessionId(id);
    if (!parsed || !this.isCluster(parsed.target)) throw notFound(id);
    return parsed;
  }

  #assertMine(info: SlurmSessionInfo, verb: string): void {
    if (!info.mine) {
      throw new BenchtopError('NOT_OWNER', `Session ${info.id} is ${info.owner?.name ?? 'someone else'}'s; you cannot ${verb} it.`, 'Only the install that started a session may act on it.');
    }
  }
}

function notFound(id: string): BenchtopError {
  return new BenchtopError('SLURM_JOB_NOT_FOUND', `There is no cluster session "${id}".`, 'Run `benchtop ps` to see the sessions (cluster ones are JOB@CLUSTER).');
}
