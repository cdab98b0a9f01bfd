import type { SessionInfo } from './contract/sessions';

const pad = (n: number) => String(n).padStart(2, '0');

/** `10:02` today, `Nov 23 10:02` on another day (local time). */
function clockTime(at: Date, now: Date): string {
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  if (at.toDateString() === now.toDateString()) return time;
  return `${at.toLocaleString('en', { month: 'short' })} ${at.getDate()} ${time}`;
}

/** `40 min`, `3 h 5 min`. */
function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/**
 * How a teammate's session reads on the Sessions screen and in `benchtop ps`:
 * `bob · 2 GPUs · since 10:02 · idle 40 min` (each part only when known). One function, so the app
 * and the CLI say it the same way.
 */
export function teammateSummary(session: Pick<SessionInfo, 'owner' | 'gpus' | 'startedAt' | 'idleSince' | 'state'>, now = new Date()): string {
  const parts = [session.owner?.name ?? 'unknown owner (started before owners were recorded)'];
  if (session.gpus.length) parts.push(`${session.gpus.length} GPU${session.gpus.length === 1 ? '' : 's'}`);
  const running = session.state === 'ready' || session.state === 'starting';
  if (running && session.startedAt) parts.push(`since ${clockTime(new Date(session.startedAt), now)}`);
  if (!running) parts.push(session.state);
  if (running && session.idleSince) parts.push(`idle ${duration(now.getTime() - Date.parse(session.idleSince))}`);
  return parts.join(' · ');
}
