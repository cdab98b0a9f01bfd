import type { SessionInfo } from '../../../shared/contract/sessions';
import { LOCAL } from '../engine/service';
import { BenchtopError } from '../errors';
import type { Operation } from '../operation';
import type { SlurmSessionInfo } from '../slurm/session-info';
import type { SyncService } from '../sync/service';
import { sessionImageRef } from '../sync/session-sync';
import type { MoveSessions } from './service';
import { MoveSteps } from './steps';

/** What a move needs from the Slurm service. */
export interface MoveClusters {
  isCluster(target: string | undefined): boolean;
  get(id: string): Promise<SlurmSessionInfo>;
  stop(id: string): Promise<SlurmSessionInfo>;
  up(req: { dir: string; target: string; signal?: AbortSignal }): Promise<SlurmSessionInfo>;
}

export interface ClusterMoveDeps {
  sessions: MoveSessions;
  clusters: MoveClusters;
  sync: SyncService;
}

/** Where a session runs now: a container session (`local`, a host) or a cluster job (JOB@CLUSTER). */
type Source = { kind: 'engine'; info: SessionInfo } | { kind: 'cluster'; info: SlurmSessionInfo; projectDir: string };

/**
 * Moves a session to or from a Slurm cluster (local ↔ cluster ↔ shared host). The laptop's folder
 * is the hub: the notebooks come home from the source, go to the destination (the cluster folder
 * or the host's volume) while the source still runs, the source stops, the last saves come home
 * and go out again, then the destination starts. A cluster's `up` syncs once more before sbatch.
 */
export class ClusterMove {
  constructor(readonly deps: ClusterMoveDeps) {}

  /** Whether a move from this session to `destination` involves a cluster (then it is this class's). */
  involvesCluster(sessionId: string, destination: string): boolean {
    return this.deps.clusters.isCluster(destination) || /^\d+@/.test(sessionId);
  }

  /** `projectDir` is needed for a cluster source (the queue knows the project's name, not its folder). */
  async move(op: Operation, sessionId: string, destination: string, projectDir?: string): Promise<SessionInfo | SlurmSessionInfo> {
    const { sessions, clusters, sync } = this.deps;
    const { signal } = op;
    const source = await this.#source(sessionId, projectDir);
    const from = source.info.target;
    const dir = source.kind === 'engine' ? source.info.projectDir : source.projectDir;
    if (from === destination) throw new BenchtopError('INVALID_ARGUMENT', `Session ${sessionId} already runs on ${destination}.`, 'Pick another target: `local`, a host id or a cluster.');
    const toCluster = clusters.isCluster(destination);
    const image = source.kind === 'engine' ? sessionImageRef(source.info) : undefined;
    const steps = new MoveSteps(op);
    const run = steps.run.bind(steps);
    let stopped = false;
    const syncWith = (target: string, containerId?: string) =>
      sync.sync(op.child(steps.current), { projectDir: dir, target, containerId, image });
    const fromRemote = from !== LOCAL;
    const running = source.kind === 'engine' ? source.info.state === 'ready' || source.info.state === 'starting' : source.info.state !== 'ended' && source.info.state !== 'failed';
    try {
      if (fromRemote) await run('sync-from-source', from, () => syncWith(from, source.kind === 'engine' && running ? source.info.name : undefined));
      if (destination !== LOCAL) {
        if (!toCluster && image) await run('pull', `${image} on ${destination}`, () => sessions.pulls.pull(destination, image, op.child('pull')));
        await run('sync-to-destination', destination, () => syncWith(destination));
      }
      if (running) {
        await run('stop-source', from, async () => {
          if (source.kind === 'engine') await sessions.stop(source.info.id);
          else await clusters.stop(source.info.id);
        });
        stopped = true;
        // Saves made at the source since the first sync come home, and go on to the destination.
        if (fromRemote) await run('final-sync', from, () => syncWith(from));
        if (destination !== LOCAL) await run('final-sync', destination, () => syncWith(destination));
      }
      return await run<SessionInfo | SlurmSessionInfo>('start-destination', destination, () =>
        toCluster ? clusters.up({ dir, target: destination, signal }) : sessions.up(op.child('up'), dir, destination));
    } catch (error) {
      throw steps.failure(error, dir, from, destination, `in ${dir}${stopped ? '' : ` and the session still runs on ${from}`}`);
    }
  }

  async #source(sessionId: string, projectDir: string | undefined): Promise<Source> {
    if (!/^\d+@/.test(sessionId)) return { kind: 'engine', info: await this.deps.sessions.get(sessionId) };
    if (!projectDir) throw new BenchtopError('INVALID_ARGUMENT', `Moving the cluster session ${sessionId} needs its project folder.`, 'Run `benchtop move TARGET DIR` in the project.');
    return { kind: 'cluster', info: await this.deps.clusters.get(sessionId), projectDir };
  }
}
