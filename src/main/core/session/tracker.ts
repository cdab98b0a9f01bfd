import type Docker from 'dockerode';
import type { ProjectInfo } from '../../../shared/contract/project';
import type { SessionInfo, SessionState, SessionSyncError } from '../../../shared/contract/sessions';
import { BenchtopError } from '../errors';
import type { EventBus } from '../events';
import type { Owner } from '../identity/owner';
import { isMine } from './ownership';
import type { IdleCandidate } from './idle';
import { describeSession, nameOf, type SessionNote } from './state';

/** A ready session's live facts: how to reach its Jupyter, for the idle rule and fast answers. */
export interface LiveSession {
  target: string;
  token: string;
  localPort: number;
  startedAt: number;
  idleMinutes: number;
}

/**
 * What this process knows about sessions beyond the engine's labels (Jupyter answered, why one
 * stopped, when the idle rule strikes), and the one place that tells the UI about state changes.
 * Losing all of it (an app restart) costs nothing but a re-probe: the engine stays the truth.
 */
export class SessionTracker {
  readonly notes = new Map<string, SessionNote>();
  readonly live = new Map<string, LiveSession>();
  readonly idleStopAt = new Map<string, number>();
  /** Remote sessions whose background sync fails now (set and cleared by the sync watcher). */
  readonly syncErrors = new Map<string, SessionSyncError>();
  readonly #last = new Map<string, SessionInfo>();
  /** Session id → the engine's id of its current container (a recreated session keeps its name). */
  readonly #containers = new Map<string, string>();

  constructor(
    private readonly bus: EventBus,
    /** This install: decides which sessions are mine. */
    private readonly me: Owner,
  ) {}

  /** The target a session was last seen on, to look there first. */
  targetOf(id: string): string | undefined {
    return this.#last.get(id)?.target;
  }

  /** Whether this install may act on the session (and read its token). */
  isMine(inspect: Docker.ContainerInspectInfo, target: string): boolean {
    return isMine(inspect.Config.Labels, this.me, target);
  }

  describe(inspect: Docker.ContainerInspectInfo, target: string): SessionInfo {
    const id = nameOf(inspect);
    if (!inspect.State.Running) this.live.delete(id);
    const live = this.live.get(id);
    const info = describeSession(inspect, {
      target,
      mine: this.isMine(inspect, target),
      ready: Boolean(live),
      localPort: live?.localPort,
      note: this.notes.get(id),
      idleStopAt: this.idleStopAt.get(id),
    });
    if (!info) throw new BenchtopError('SESSION_NOT_FOUND', `${id} is not a Benchtop session.`, 'Run `benchtop ps` to see the sessions and their ids.');
    const syncError = this.syncErrors.get(id);
    return syncError ? { ...info, syncError } : info;
  }

  /** The sync watcher's news: a sync failing (or working again); tells the UI when that changes what it shows. */
  syncStatus(id: string, error: SessionSyncError | undefined): void {
    if (error) this.syncErrors.set(id, error);
    else this.syncErrors.delete(id);
    const last = this.#last.get(id);
    if (!last) return;
    const { syncError: _before, ...rest } = last;
    this.emitInfo(error ? { ...rest, syncError: error } : rest);
  }

  /** Describes the session and tells the UI when that differs from what it was last told. */
  emit(inspect: Docker.ContainerInspectInfo, target: string): SessionInfo {
    this.#containers.set(nameOf(inspect), inspect.Id);
    return this.emitInfo(this.describe(inspect, target));
  }

  emitInfo(info: SessionInfo): SessionInfo {
    const before = this.#last.get(info.id);
    this.#last.set(info.id, info);
    // The engine reports one stop as kill, die and stop: the UI hears it once.
    if (!before || JSON.stringify(before) !== JSON.stringify(info)) this.bus.emit('sessionState', info);
    return info;
  }

  /** Before a container exists (pulling): what the UI shows on the project's card. */
  emitProvisional(project: ProjectInfo, target: string, id: string, state: SessionState): void {
    this.emitInfo({
      id, name: id, projectDir: project.dir, projectName: project.name, target, state,
      image: project.pinned?.repository ?? project.image, digest: project.pinned?.digest ?? '', version: project.pinned?.version,
      gpus: [], idleMinutes: project.idleMinutes, owner: this.me, mine: true,
    });
  }

  /**
   * The container is gone; says so once if the UI knew it. A removal of an older container of the
   * same session (replaced by `up`) is no news.
   */
  removed(id: string, message: string, containerId?: string): void {
    if (containerId && this.#containers.get(id) !== containerId) return;
    const last = this.#last.get(id);
    this.forget(id);
    if (last) this.bus.emit('sessionState', { ...last, state: 'stopped', url: undefined, idleStopAt: undefined, code: undefined, message });
  }

  /** After a reconnect: report what changed while the stream was down, and what disappeared. */
  reconcile(target: string, now: SessionInfo[]): void {
    for (const info of now) this.emitInfo(info);
    const seen = new Set(now.map((s) => s.id));
    for (const [id, info] of this.#last) {
      if (info.target === target && !seen.has(id)) this.removed(id, 'Removed while Benchtop was not watching.');
    }
  }

  /** The target's engine stopped answering: its running sessions cannot be reached now. */
  engineLost(target: string, why: string): void {
    for (const [id, info] of this.#last) {
      if (info.target !== target || (info.state !== 'ready' && info.state !== 'starting')) continue;
      this.live.delete(id);
      this.emitInfo({ ...info, state: 'failed', url: undefined, code: 'ENGINE_UNREACHABLE',
        message: `The engine on ${target} stopped answering (${why}). Notebooks are safe in ${info.projectDir}; Benchtop reconnects when the engine is back.` });
    }
  }

  idleCandidates(): IdleCandidate[] {
    return [...this.live.entries()]
      .filter(([, l]) => l.idleMinutes > 0)
      .map(([id, l]) => ({ id, target: l.target, idleMinutes: l.idleMinutes, baseUrl: `http://127.0.0.1:${l.localPort}/`, token: l.token, startedAt: l.startedAt }));
  }

  forget(id: string): void {
    this.live.delete(id);
    this.notes.delete(id);
    this.idleStopAt.delete(id);
    this.syncErrors.delete(id);
    this.#last.delete(id);
    this.#containers.delete(id);
  }
}
