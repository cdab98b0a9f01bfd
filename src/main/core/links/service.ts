import { randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { LinkConfirmResult, LinkHostResult, LinkPlan } from '../../../shared/contract/links';
import type { TeamFile } from '../../../shared/contract/team';
import { BenchtopError, systemCode } from '../errors';
import type { EventBus } from '../events';
import type { Logger } from '../log/logger';
import { gitClone } from './git';
import { MAX_LINK_LENGTH, parseLink } from './parse';
import { joinPlan, openPlan, type ImageProbe, type StagedProject } from './plan';

export interface LinkServiceDeps {
  bus: EventBus;
  /** Where staged clones wait for consent (inside the app's data folder, never the user's folders). */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Reads a project folder (its devcontainer.json) without recording it anywhere. */
  readProject: (dir: string) => Promise<StagedProject>;
  /** A project's `.benchtop/team.json`, if it has one. */
  readProjectTeam: (dir: string) => Promise<TeamFile | undefined>;
  /** Asks the registry about the image (size; a login it needs), never failing the plan. */
  probeImage?: (image: string, signal?: AbortSignal) => Promise<ImageProbe>;
  /** A team file at a URL. */
  readTeamSource: (url: string) => Promise<TeamFile>;
  /** Sets this install's team file (a join link). */
  setTeamSource: (url: string) => void;
  /** Adds the team's hosts, trusting exactly the fingerprints listed (dir: the project whose team file lists them). */
  joinHosts: (dir?: string) => Promise<LinkHostResult[]>;
}

interface PendingPlan {
  plan: LinkPlan;
  /** open: the staging folder holding the clone (`<staging>/repo`). */
  staging?: string;
  madeAt: number;
}

const PLAN_TTL_MS = 60 * 60_000;
const MAX_QUEUED = 10;

/** The default parent folder of cloned projects: BENCHTOP_PROJECTS_DIR, else ~/Benchtop. */
export function defaultProjectsDir(env: NodeJS.ProcessEnv): string {
  return env.BENCHTOP_PROJECTS_DIR || join(homedir(), 'Benchtop');
}

/** Missing, or an empty folder: a clone may go there. */
async function usableTarget(dir: string): Promise<boolean> {
  try {
    const s = await stat(dir);
    return s.isDirectory() && (await readdir(dir)).length === 0;
  } catch (error) {
    if (systemCode(error) === 'ENOENT') return true;
    throw error;
  }
}

/**
 * benchtop:// links: they are queued as they arrive (open-url, second-instance, the bridge) and
 * announced to the window; a plan says what confirming one will do; only `confirm` changes anything
 * the user sees. An open link's repository is cloned into a private staging folder for the plan (so
 * the dialog can show the pinned digest and the team's hosts from the repository itself), and that
 * same clone — the commit the user agreed to — is what `confirm` moves into place.
 */
export class LinkService {
  readonly #d: LinkServiceDeps;
  readonly #queued: string[] = [];
  readonly #plans = new Map<string, PendingPlan>();
  #swept = false;

  constructor(deps: LinkServiceDeps) {
    this.#d = deps;
  }

  get #stagingRoot(): string {
    return join(this.#d.dataDir, 'link-staging');
  }

  /** A link arrived: queued for the window and announced. Its content is judged only when it is planned. */
  receive(url: string): void {
    const text = String(url).slice(0, MAX_LINK_LENGTH + 1);
    this.#queued.push(text);
    if (this.#queued.length > MAX_QUEUED) this.#queued.shift();
    this.#d.log.info('link received', { length: text.length });
    this.#d.bus.emit('linkOpened', { url: text });
  }

  /** The links nobody has taken yet (e.g. the one the app started with); each is given once. */
  takePending(): string[] {
    return this.#queued.splice(0);
  }

  /** Checks a link and prepares its plan; changes nothing outside the app's staging folder. */
  async plan(url: string, options: { parentDir?: string; signal?: AbortSignal } = {}): Promise<LinkPlan> {
    const link = parseLink(url);
    await this.#expire();
    const planId = randomUUID();
    if (link.action === 'join') {
      const team = await this.#d.readTeamSource(link.team);
      const plan = joinPlan(planId, link, team);
      this.#plans.set(planId, { plan, madeAt: Date.now() });
      return plan;
    }
    const parent = options.parentDir ?? defaultProjectsDir(this.#d.env);
    if (!isAbsolute(parent)) throw new BenchtopError('INVALID_ARGUMENT', `The folder ${parent} is not an absolute path.`, 'Pick the folder with the Choose button, or give a full path.');
    const targetDir = resolve(parent, link.name);
    await this.#assertTarget(targetDir);
    const staging = join(this.#stagingRoot, planId);
    await mkdir(staging, { recursive: true, mode: 0o700 });
    try {
      const repoDir = join(staging, 'repo');
      const commit = await gitClone(link.repo, link.ref, repoDir, options.signal);
      const project = await this.#d.readProject(repoDir);
      const team = await this.#d.readProjectTeam(repoDir);
      const image = project.image && this.#d.probeImage ? await this.#d.probeImage(project.image, options.signal) : undefined;
      const plan = openPlan(planId, link, { commit, targetDir, project, ...(image ? { image } : {}), ...(team ? { team: { ...team, source: '.benchtop/team.json (in the repository)' } } : {}) });
      this.#plans.set(planId, { plan, staging, madeAt: Date.now() });
      return plan;
    } catch (error) {
      await this.#removeStaging(staging);
      throw error;
    }
  }

  /** Does what the plan said. `dir` (open links): the project folder instead of the planned one. */
  async confirm(planId: string, dir?: string): Promise<LinkConfirmResult> {
    const pending = this.#plans.get(planId);
    if (!pending) throw new BenchtopError('LINK_PLAN_EXPIRED', 'This link\'s plan is no longer known (it was answered, cancelled, or is over an hour old).', 'Open the link again.');
    const { plan } = pending;
    if (plan.link.action === 'join') {
      this.#plans.delete(planId);
      this.#d.setTeamSource(plan.link.team);
      return { hosts: plan.hosts.length ? await this.#d.joinHosts() : [] };
    }
    const chosen = dir ?? plan.targetDir ?? '';
    if (!isAbsolute(chosen)) throw new BenchtopError('INVALID_ARGUMENT', `The folder ${chosen} is not an absolute path.`, 'Give a full path.');
    const target = resolve(chosen);
    // A folder that is in the way keeps the plan: the user picks another one and confirms again.
    await this.#assertTarget(target);
    this.#plans.delete(planId);
    const staging = pending.staging as string;
    try {
      await this.#moveInto(join(staging, 'repo'), target);
    } finally {
      await this.#removeStaging(staging);
    }
    this.#d.log.info('link cloned', { repo: plan.repo, commit: plan.commit, dir: target });
    return { dir: target, hosts: plan.hosts.length ? await this.#d.joinHosts(target) : [] };
  }

  /** Forgets a plan and removes its staged clone: a refused link leaves nothing behind. */
  async cancel(planId: string): Promise<boolean> {
    const pending = this.#plans.get(planId);
    if (!pending) return false;
    this.#plans.delete(planId);
    if (pending.staging) await this.#removeStaging(pending.staging);
    return true;
  }

  /** Removes every staged clone (the app is closing). */
  async close(): Promise<void> {
    for (const id of [...this.#plans.keys()]) await this.cancel(id);
  }

  async #assertTarget(dir: string): Promise<void> {
    if (!(await usableTarget(dir))) {
      throw new BenchtopError('LINK_TARGET_NOT_EMPTY', `${dir} already exists and is not an empty folder; Benchtop never clones over files.`,
        'Pick another folder (or move that one away), then confirm again.');
    }
  }

  async #moveInto(from: string, to: string): Promise<void> {
    await mkdir(dirname(to), { recursive: true });
    try {
      await rename(from, to);
    } catch (error) {
      // Another file system (EXDEV), or an empty folder rename cannot replace on this system: copy.
      if (systemCode(error) !== 'EXDEV' && systemCode(error) !== 'ENOTEMPTY' && systemCode(error) !== 'EEXIST' && systemCode(error) !== 'EPERM') throw error;
      await cp(from, to, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true });
    }
  }

  async #removeStaging(staging: string): Promise<void> {
    await rm(staging, { recursive: true, force: true }).catch((error: unknown) => this.#d.log.ignored(`remove the link staging folder ${staging}`, error));
  }

  async #expire(): Promise<void> {
    if (!this.#swept) {
      // Staged clones a previous run left behind (it crashed before answering): no plan knows them.
      this.#swept = true;
      const left = await readdir(this.#stagingRoot).catch(() => [] as string[]);
      for (const name of left.filter((n) => !this.#plans.has(n))) await this.#removeStaging(join(this.#stagingRoot, name));
    }
    const now = Date.now();
    for (const [id, pending] of this.#plans) if (now - pending.madeAt > PLAN_TTL_MS) await this.cancel(id);
  }
}

