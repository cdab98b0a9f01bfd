import { randomUUID } from 'node:crypto';
import type { ProjectInfo } from '../../../shared/contract/project';
import { LOCAL } from '../engine/service';
import { BenchtopError } from '../errors';
import type { SessionMounts, WorkspaceResolver } from '../session/adapters';
import type { SyncService } from './service';
import type { Operation } from '../operation';
import type { Operations } from '../operations';

/**
 * Where sessions find notebooks. On this computer: the project folder itself (the fallback). On any
 * other target: the project's notebooks volume, the one its sync state records (never one named
 * after the project as it is called today), brought up to date with the local folder before the
 * session container starts, so Jupyter opens on the latest notebooks (sync on session start).
 */
export function syncedWorkspace(sync: SyncService, fallback: WorkspaceResolver, ops: Pick<Operations, 'create'>): WorkspaceResolver {
  return {
    async mounts(target: string, project: ProjectInfo, op?: Operation): Promise<SessionMounts> {
      if (target === LOCAL) return fallback.mounts(target, project, op);
      if (!(await sync.localUnchanged(project.dir, target))) {
        // The sync helper runs the project's pinned image (SyncService's default). The first sync
        // with a target makes the volume and records it. Inside a start it is the start's child step
        // `sync` (its progress is `<start id>:sync`'s), cancelled with the start.
        // Random, not the time alone: several sessions starting in the same millisecond each sync.
        op?.step('sync', `notebooks to ${target}`);
        const child = op?.child('sync') ?? ops.create(`sync-start-${target}-${randomUUID()}`);
        try {
          await sync.sync(child, { projectDir: project.dir, target });
        } catch (error) {
          // However far the sync got (waiting for its lock, or moving files), a cancelled start says so.
          if (child.signal.aborted && !(error instanceof BenchtopError && error.code === 'CANCELLED')) {
            throw new BenchtopError('CANCELLED', `The start on ${target} was cancelled while it copied the notebooks there; nothing was started.`,
              'Start it again when ready; the notebooks on this computer are untouched.', { cause: error });
          }
          throw error;
        }
      }
      const volume = await sync.recordedVolume(project.dir, target);
      if (!volume) throw new BenchtopError('SYNC_FAILED', `No notebooks volume is recorded for ${project.dir} on ${target} after syncing.`, 'Run `benchtop sync --target ' + target + '` and start the session again.');
      // A bare name in a bind is a named volume; the image's own user (which owns the volume's root,
      // copied from the image on first mount) runs Jupyter there.
      return { notebooksDir: volume.name };
    },
  };
}
