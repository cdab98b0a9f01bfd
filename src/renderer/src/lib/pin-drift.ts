import type { PinnedImage, SessionInfo } from '../../../shared/ipc';
import { shortDigest } from './format';

/** A version as people say it ("2026.11.1"); a short digest only where the pin has no version comment. */
export function versionLabel(version: string | undefined, digest: string): string {
  return version ?? shortDigest(digest);
}

/** This install's live session of a project on a target, if one runs (the one a new Start collides with). */
export function liveSessionOf(sessions: readonly SessionInfo[], dir: string, target = 'local'): SessionInfo | undefined {
  return sessions.find((s) => s.mine && s.projectDir === dir && s.target === target && (s.state === 'ready' || s.state === 'starting'));
}

/** The session runs an image other than the project's pin: the user should be offered a restart on the pin. */
export function driftsFromPin(session: SessionInfo, projectDir: string | undefined, pinned: PinnedImage | null | undefined): boolean {
  return !!pinned && session.projectDir === projectDir && session.digest !== pinned.digest && session.state !== 'stopped' && session.state !== 'failed';
}
