import { resolve } from 'node:path';
import type { SyncResult, TrashEntry, TrashEntryRef } from '../../../shared/contract/hosts';
import type { SessionInfo } from '../../../shared/contract/sessions';
import { LOCAL } from '../engine/service';
import type { Operation } from '../operation';
import type { SyncService, VolumeAccess } from './service';

export interface SessionLookup {
  get(id: string): Promise<SessionInfo>;
  list(): Promise<SessionInfo[]>;
}

/** The image reference a session runs, by digest (what a sync helper must run too). */
export function sessionImageRef(session: SessionInfo): string {
  return `${session.image.split('@')[0]}@${session.digest}`;
}

/**
 * Syncs one session's notebooks now. A session on this computer works in the project folder
 * itself, so there is nothing to carry; a remote one syncs through its own container while it runs
 * and through a helper once it has stopped. `confirmDeletes`: the user said yes to a bulk deletion.
 */
export async function syncSession(sync: SyncService, sessions: SessionLookup, op: Operation, sessionId: string, confirmDeletes = false): Promise<SyncResult> {
  const session = await sessions.get(sessionId);
  if (session.target === LOCAL) return { uploaded: 0, downloaded: 0, deleted: 0, conflicts: [], bytes: 0, durationMs: 0 };
  const running = session.state === 'ready' || session.state === 'starting';
  const { volume: _volume, ...result } = await sync.sync(op, {
    projectDir: session.projectDir, target: session.target, sessionId,
    containerId: running ? session.name : undefined, image: sessionImageRef(session), confirmDeletes,
  });
  return result;
}

/** How to reach a project's volume on a target: its running session's container, else a helper of the session's image. */
export async function volumeAccessFor(sessions: SessionLookup, projectDir: string, target: string): Promise<VolumeAccess> {
  const dir = resolve(projectDir);
  const mine = (await sessions.list()).filter((s) => s.projectDir === dir && s.target === target);
  const running = mine.find((s) => s.state === 'ready');
  if (running) return { containerId: running.name, image: sessionImageRef(running) };
  return mine[0] ? { image: sessionImageRef(mine[0]) } : {};
}

/** The "Recently removed" list: this computer's trash, plus the target's when one is named. */
export async function trashListFor(sync: SyncService, sessions: SessionLookup, projectDir: string, target?: string): Promise<TrashEntry[]> {
  if (!target || target === LOCAL) return sync.trashList(projectDir);
  return sync.trashList(projectDir, target, await volumeAccessFor(sessions, projectDir, target));
}

export async function trashRestoreFor(sync: SyncService, sessions: SessionLookup, projectDir: string, entry: TrashEntryRef): Promise<{ restored: string }> {
  const access = entry.where === 'local' ? {} : await volumeAccessFor(sessions, projectDir, entry.where);
  return sync.trashRestore(projectDir, entry, access);
}
