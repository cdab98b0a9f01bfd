import type { SyncResult } from '../../../shared/contract/hosts';
import type { SessionInfo } from '../../../shared/contract/sessions';
import { LOCAL } from '../engine/service';
import type { SyncService } from './service';

export interface SessionLookup {
  get(id: string): Promise<SessionInfo>;
}

/** The image reference a session runs, by digest (what a sync helper must run too). */
export function sessionImageRef(session: SessionInfo): string {
  return `${session.image.split('@')[0]}@${session.digest}`;
}

/**
 * Syncs one session's notebooks now. A session on this computer works in the project folder
 * itself, so there is nothing to carry; a remote one syncs through its own container while it runs
 * and through a helper once it has stopped.
 */
export async function syncSession(sync: SyncService, sessions: SessionLookup, opId: string, sessionId: string): Promise<SyncResult> {
  const session = await sessions.get(sessionId);
  if (session.target === LOCAL) return { uploaded: 0, downloaded: 0, deleted: 0, conflicts: [], bytes: 0, durationMs: 0 };
  const running = session.state === 'ready' || session.state === 'starting';
  const { volume: _volume, ...result } = await sync.sync({
    opId, projectDir: session.projectDir, target: session.target, sessionId,
    containerId: running ? session.name : undefined, image: sessionImageRef(session),
  });
  return result;
}
