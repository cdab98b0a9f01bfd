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
export type MoveStep = 'sync-from-source' | 'pull' | 'sync-to-destination' | 'start-destination' | 'stop-source' | 'final-sync';

/**
 * Moves a session between this computer and a host (or between hosts) on the same image digest.
 * The order keeps the notebooks safe and the wait short: the destination gets the files and starts
 * while the source still runs (so a destination that cannot start leaves the user where they were),
 * the source stops only then, and a last sync carries whatever was saved in the meantime.
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
      // Starting on a host finds its volume already up to date (see syncedWorkspace), so this is
      // mostly Jupyter starting; the source keeps serving meanwhile.
      const moved = await run('start-destination', destination, () => sessions.up(`${opId}:up`, dir, destination, signal));
      if (sourceRunning) await run('stop-source', source.target, () => sessions.stop(sessionId));
      // Saves made on either side since the first syncs: carried now that the source is quiet.
      if (fromRemote) await run('final-sync', source.target, () => syncWith(source.target));
      if (toRemote) await run('final-sync', destination, () => syncWith(destination, moved.name));
      return moved;
    } catch (error) {
      throw moveFailed(step, source, destination, error);
    }
  }
}

function moveFailed(step: MoveStep, source: SessionInfo, destination: string, error: unknown): BenchtopError {
  if (error instanceof BenchtopError && error.code === 'CANCELLED') {
    return new BenchtopError('CANCELLED', `The move to ${destination} was cancelled at step "${step}"; the notebooks are intact on both sides.`, 'Move again when ready.', { cause: error });
  }
  const cause = error instanceof BenchtopError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  const hint = error instanceof BenchtopError && error.hint ? `${error.hint} ` : '';
  return new BenchtopError('MOVE_FAILED', `Moving ${source.projectName} from ${source.target} to ${destination} failed at step "${step}": ${cause}`,
    `${hint}The notebooks are intact on both sides${step === 'stop-source' || step === 'final-sync' ? '' : ` and the session still runs on ${source.target}`}; fix the cause and move again.`,
    { cause: error });
}
