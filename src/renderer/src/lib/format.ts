/**
 * Number and time formatting for the UI. Pure functions (no DOM) so they are unit-tested in Node.
 * Sizes use binary units (what `docker images` and disk tools show as MB/GB are close enough, and
 * the same unit everywhere keeps bars and labels consistent).
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** `1.5 GB`, `340 MB`, `0 B`; never negative, never NaN. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes <= 0) return '0 B';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** `12.3 MB/s`; `—` while no rate is known yet. */
export function formatRate(bytesPerSecond: number | undefined): string {
  if (bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** `0:07`, `4:05`, `1:02:09`: a clock-style duration with a stable shape for progress labels. */
export function formatClock(totalSeconds: number | undefined): string {
  if (totalSeconds === undefined || !Number.isFinite(totalSeconds) || totalSeconds < 0) return '—';
  const s = Math.round(totalSeconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const mm = hours > 0 ? String(minutes).padStart(2, '0') : String(minutes);
  return `${hours > 0 ? `${hours}:` : ''}${mm}:${String(seconds).padStart(2, '0')}`;
}

/** `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`: a human duration for uptime and idle countdowns. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** `2026-11-02` from an ISO date; the input unchanged when it does not parse. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().slice(0, 10);
}

/** `sha256:0123456789ab` — enough of a digest to recognise it, short enough for a table. */
export function shortDigest(digest: string | undefined): string {
  if (!digest) return '—';
  const [algo, hex] = digest.includes(':') ? digest.split(':', 2) : ['sha256', digest];
  return `${algo}:${(hex ?? '').slice(0, 12)}`;
}

/** `42 %` with one decimal under 10 so small loads stay visible. */
export function formatPercent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const clamped = Math.max(0, value);
  return `${clamped < 10 ? clamped.toFixed(1) : Math.round(clamped)} %`;
}

/** `14:12`: the local time of day of an ISO date; the input unchanged when it does not parse. */
function formatTimeOfDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** `Sync with gpu-box failing since 14:12: SYNC_FAILED The sync … — retrying every 5 s`, for a session's card. */
export function syncErrorText(target: string, error: { code: string; message: string; since: string; retryEveryMs: number }): string {
  return `Sync with ${target} failing since ${formatTimeOfDay(error.since)}: ${error.code} ${error.message} — retrying every ${formatDuration(error.retryEveryMs)}`;
}
