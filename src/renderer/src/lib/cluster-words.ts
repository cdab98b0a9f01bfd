/** What the cluster cards say: a pending job's wait in words, the time its --time leaves, the time choices. */
import type { ClusterSession } from '../../../shared/ipc';
import { formatDuration } from './format';

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** "waiting for GPUs — 2nd in line" (the position only when Slurm's queue gives one). */
export function pendingWords(s: Pick<ClusterSession, 'reason' | 'reasonCode' | 'position'>): string {
  const reason = s.reason ?? (s.reasonCode ? `pending (${s.reasonCode})` : 'pending');
  if (!s.position) return reason;
  return `${reason} — ${s.position === 1 ? 'next in line' : `${ordinal(s.position)} in line`}`;
}

/** "1 h 12 min left" until the job's --time ends it; "—" without an end. */
export function timeLeft(endsAt: string | undefined, now: number): string {
  if (!endsAt) return '—';
  const ms = Date.parse(endsAt) - now;
  if (!Number.isFinite(ms)) return '—';
  return ms <= 0 ? 'ending now' : `${formatDuration(ms)} left`;
}

/** The limit the job runs under now (minutes), from its start and end; undefined while unknown. */
export function limitMinutes(s: Pick<ClusterSession, 'startedAt' | 'endsAt'>): number | undefined {
  if (!s.startedAt || !s.endsAt) return undefined;
  const ms = Date.parse(s.endsAt) - Date.parse(s.startedAt);
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms / 60_000) : undefined;
}

/** The time limits offered when starting (minutes), short to long; a partition's MaxTime may refuse the longest. */
export const TIME_CHOICES: readonly { minutes: number; label: string }[] = [
  { minutes: 30, label: '30 min' },
  { minutes: 60, label: '1 h' },
  { minutes: 120, label: '2 h' },
  { minutes: 240, label: '4 h' },
  { minutes: 480, label: '8 h' },
  { minutes: 1440, label: '1 day' },
];

/** Slurm's `1-00:00:00`, `4:00:00`, `30:00`, `infinite` → minutes (undefined: no limit or unreadable). */
export function slurmTimeMinutes(text: string): number | undefined {
  const t = text.trim();
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(t);
  if (!m) return undefined;
  const days = Number(m[1] ?? 0);
  const parts = [m[2], m[3], m[4]].filter((p): p is string => p !== undefined).map(Number);
  // h:m:s, m:s, or plain minutes; with a day part, "d-h[:m[:s]]".
  let minutes: number;
  if (m[1] !== undefined) minutes = (parts[0] ?? 0) * 60 + (parts[1] ?? 0) + (parts[2] ?? 0) / 60;
  else if (parts.length === 3) minutes = (parts[0] ?? 0) * 60 + (parts[1] ?? 0) + (parts[2] ?? 0) / 60;
  else if (parts.length === 2) minutes = (parts[0] ?? 0) + (parts[1] ?? 0) / 60;
  else minutes = parts[0] ?? 0;
  return Math.floor(days * 1440 + minutes);
}
