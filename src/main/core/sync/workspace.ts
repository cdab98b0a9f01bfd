import type { ProjectInfo } from '../../../shared/contract/project';
import { LOCAL } from '../engine/service';
import type { SessionMounts, WorkspaceResolver } from '../session/adapters';
import type { SyncService } from './service';
import { notebooksVolumeName } from './volume';

/**
 * Where sessions find notebooks. On this computer: the project folder itself (the fallback). On any
 * other target: the project's notebooks volume, brought up to date with the local folder before the
 * session container starts, so Jupyter opens on the latest notebooks (sync on session start).
 */
export function syncedWorkspace(sync: SyncService, fallback: WorkspaceResolver): WorkspaceResolver {
  return {
    async mounts(target: string, project: ProjectInfo): Promise<SessionMounts> {
      if (target === LOCAL) return fallback.mounts(target, project);
      if (!(await sync.localUnchanged(project.dir, target))) {
        // The sync helper runs the project's pinned image (SyncService's default).
        await sync.sync({ opId: `sync-start-${target}-${Date.now().toString(36)}`, projectDir: project.dir, target });
      }
      // A bare name in a bind is a named volume; the image's own user (which owns the volume's root,
      // copied from the image on first mount) runs Jupyter there.
      return { notebooksDir: notebooksVolumeName(project.dir, project.name) };
    },
  };
}
