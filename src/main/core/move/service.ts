import type { ProjectInfo } from '../../../shared/contract/project';
import type { SessionInfo } from '../../../shared/contract/sessions';
import { LOCAL } from '../engine/service';
import { BenchtopError } from '../errors';
import type { Operation } from '../operation';
import type { SyncService } from '../sync/service';
import { sessionImageRef } from '../sync/session-sync';
import { MoveSteps } from './steps';

/** What a move needs from sessions (the SessionService has exactly these). */
export interface MoveSessions {
  get(id: string): Promise<SessionInfo>;
  stop(id: string): Promise<SessionInfo>;
  up(op: Operation, dir: string, target: string): Promise<SessionInfo>;
  pulls: { pull(target: string, ref: string, op: Operation): Promise<unknown> };
}

export interface MoveServiceDeps {
  sessions: MoveSessions;
  sync: SyncService;
  /** Reads the project (does it pin Jupyter to a fixed port?). */
  projects: { read(dir: string): Promise<ProjectInfo> };
}

/**
 * Moves a session between this computer and a host (or between hosts) on the same image digest.
 * The notebooks stay safe in every order used here: the destination has the files before the source
 * stops, a last sync carries whatever was saved meanwhile, and a failure leaves a session running.
 * Normally the destination starts while the source still serves (the wait is mostly Jupyter
 * starting). A project that pins Jupyter to one port cannot run twice on this computer's loopback,
 * so then the source stops first, and is started again if the destination cannot start.
 */
export class MoveService {
  #active = 0;

  constructor(readonly deps: MoveServiceDeps) {}

  /** How many moves run in this process now (an app restart waits for them: core/updates). */
  get active(): number {
    return this.#active;
  }

  /** Each step is an `operationStep` of `op`; the syncs, the pull and the start are its children. */
  async move(op: Operation, sessionId: string, destination: string): Promise<SessionInfo> {
    this.#active += 1;
    try {
      return await this.#move(op, sessionId, destination);
    } finally {
      this.#active -= 1;
    }
  }

  async #move(op: Operation, sessionId: string, destination: string): Promise<SessionInfo> {
    const { sessions, sync, projects } = this.deps;
    const source = await sessions.get(sessionId);
    if (source.target === destination) {
      throw new BenchtopError('INVALID_ARGUMENT', `Session ${sessionId} already runs on ${destination}.`, 'Pick another target: `local` or a host id.');
    }
    const image = sessionImageRef(source);
    const dir = source.projectDir;
    const fromRemote = source.target !== LOCAL;
    const toRemote = destination !== LOCAL;
    const sourceRunning = source.state === 'ready' || source.state === 'starting';
    const overlap = sourceRunning && (await projects.read(dir)).jupyter.port === undefined;
    const steps = new MoveSteps(op);
    const run = steps.run.bind(steps);
    let sourceStopped = false;
    const syncWith = (target: string, containerId?: string) =>
      sync.sync(op.child(steps.current), { projectDir: dir, target, sessionId, containerId, image });
    const stopSource = async () => {
      await run('stop-source', source.target, () => sessions.stop(sessionId));
      sourceStopped = true;
      // Saves made on the host since the first sync come home now that nothing writes there.
      if (fromRemote) await run('final-sync', source.target, () => syncWith(source.target));
    };

    try {
      if (fromRemote) await run('sync-from-source', source.target, () => syncWith(source.target, sourceRunning ? source.name : undefined));
      if (toRemote) {
        await run('pull', `${image} on ${destination}`, () => sessions.pulls.pull(destination, image, op.child('pull')));
        await run('sync-to-destination', destination, () => syncWith(destination));
      }
      if (sourceRunning && !overlap) await stopSource();
      // On a host the volume is already up to date here (see syncedWorkspace), so this is mostly
      // Jupyter starting.
      const moved = await run('start-destination', destination, () => sessions.up(op.child('up'), dir, destination));
      if (overlap) {
        await stopSource();
        if (toRemote) await run('final-sync', destination, () => syncWith(destination, moved.name));
      }
      return moved;
    } catch (error) {
      let restored = false;
      if (sourceStopped && steps.current === 'start-destination') {
        // Put the user back where they were: the source folder or volume still holds everything.
        // Its own signal: a cancelled move still puts the source back.
        restored = await sessions.up(op.child('restore', new AbortController().signal), dir, source.target).then(() => true, (e: unknown) => {
          op.log.warn(`could not start ${source.projectName} on ${source.target} again after the move failed`, { error: e });
          return false;
        });
      }
      const sourceRuns = !sourceStopped || restored;
      throw steps.failure(error, source.projectName, source.target, destination, `on both sides${sourceRuns ? ` and the session runs on ${source.target}` : ''}`);
    }
  }
}
