import type { SessionInfo } from '../../../shared/contract/sessions';
import { LOCAL } from '../engine/service';
import { BenchtopError } from '../errors';
import type { EventBus } from '../events';
import type { SyncService } from '../sync/service';
import { sessionImageRef } from '../sync/session-sync';

/** What a move needs from sessions (the SessionService has exactly these). */
export interface MoveSessions {
  get(id: string): Promise<SessionInfo>;
  stop(id: string): Promise<SessionInfo>;
  up(opId: string, dir: string, target: string, signal: AbortSignal): Promise<SessionInfo>;
  pulls: { pull(target: string, ref: string, opId: string, signal?: AbortSignal): Promise<unknown> };
}

export interface MoveServiceDeps {
  sessions: MoveSessions;
  sync: SyncService;
  bus: EventBus;
}

/** The steps of a move, in order; MOVE_FAILED names the one that failed. */
export type MoveStep = 'sync-from-source' | 'pull' | 'sync-to-destination' | 'stop-source' | 'final-sync' | 'start-destination';

/**
 * Moves a session between this computer and a host (or between hosts) on the same image digest.
 * The order keeps the notebooks safe: the destination gets the files while the source still runs,
 * the source stops only then, the last edits are carried after it stops, and if the destination
 * cannot start the source is started again. Every step leaves the notebooks whole on both sides.
 */
export class MoveService {
  constructor(readonly deps: MoveServiceDeps) {}

  async move(opId: string, sessionId: string, destination: string, signal: AbortSignal): Promise<SessionInfo> {
    const { sessions, sync, bus } = this.deps;
    const source = await sessions.get(sessionId);
    if (source.target === destination) {
      throw new BenchtopError('INVALID_ARGUMENT', `Session ${sessionId} already runs on ${destination}.`, 'Pick another target: `local` or a host id.');
    }
    const image = sessionImageRef(source);
    const dir = source.projectDir;
    const fromRemote = source.target !== LOCAL;
    const toRemote = destination !== LOCAL;
    const sourceRunning = source.state === 'ready' || source.state === 'starting';
    let step: MoveStep = 'sync-from-source';
    const run = async <T>(name: MoveStep, detail: string, work: () => Promise<T>): Promise<T> => {
      step = name;
      signal.throwIfAborted();
      bus.emit('operationStep', { opId, step: name, detail });
      return work();
    };
    const syncWith = (target: string, containerId?: string) =>
      sync.sync({ opId: `${opId}:${step}`, projectDir: dir, target, sessionId, containerId, image, signal });

    try {
      if (fromRemote) await run('sync-from-source', source.target, () => syncWith(source.target, sourceRunning ? source.name : undefined));
      if (toRemote) {
        await run('pull', `${image} on ${destination}`, () => sessions.pulls.pull(destination, image, `${opId}:pull`, signal));
        await run('sync-to-destination', destination, () => syncWith(destination));
      }
      if (sourceRunning) await run('stop-source', source.target, () => sessions.stop(sessionId));
      // Saves made between the first sync and the stop: carried now that nothing writes any more.
      if (fromRemote) await run('final-sync', source.target, () => syncWith(source.target));
    } catch (error) {
      throw moveFailed(step, source, destination, error, false);
    }
    try {
      // Starting on a remote target syncs the volume from the local folder once more (see syncedWorkspace).
      return await run('start-destination', destination, () => sessions.up(`${opId}:up`, dir, destination, signal));
    } catch (error) {
      // Put the user back where they were: the source folder or volume still holds everything.
      const restored = sourceRunning && (await sessions.up(`${opId}:restore`, dir, source.target, new AbortController().signal).then(() => true, () => false));
      throw moveFailed(step, source, destination, error, restored);
    }
  }
}

function moveFailed(step: MoveStep, source: SessionInfo, destination: string, error: unknown, restored: boolean): BenchtopError {
  if (error instanceof BenchtopError && error.code === 'CANCELLED') {
    return new BenchtopError('CANCELLED', `The move to ${destination} was cancelled at step "${step}"; the notebooks are intact on both sides.`, 'Move again when ready.', { cause: error });
  }
  const cause = error instanceof BenchtopError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  const hint = error instanceof BenchtopError && error.hint ? `${error.hint} ` : '';
  return new BenchtopError('MOVE_FAILED', `Moving ${source.projectName} from ${source.target} to ${destination} failed at step "${step}": ${cause}`,
    `${hint}The notebooks are intact on both sides${restored ? ` and the session runs on ${source.target} again` : ''}; fix the cause and move again.`,
    { cause: error });
}
