import { BenchtopError } from '../errors';

/**
 * A session's --time as people write it (`4h`, `90m`, `1h30m`, `2d`, `45`, or Slurm's own
 * `1-02:00:00` / `2:30:00`) in whole minutes, at least 1.
 */
export function parseDuration(input: string): number {
  const s = input.trim().toLowerCase();
  const invalid = () => new BenchtopError('INVALID_ARGUMENT', `"${input}" is not a duration.`, 'Write it as 4h, 90m, 1h30m, 2d, or as Slurm does (1-02:00:00, 2:30:00).');
  if (!s) throw invalid();
  let minutes: number;
  const slurm = /^(?:(\d+)-)?(\d+):(\d{1,2})(?::(\d{1,2}))?$/.exec(s);
  if (/^\d+$/.test(s)) minutes = Number(s);
  else if (slurm) {
    const [, d, a, b, c] = slurm;
    // h:mm:ss (or d-h:mm:ss); without seconds Slurm reads `a:b` as minutes:seconds, but d-h:mm as hours:minutes.
    const hours = c !== undefined || d !== undefined ? Number(a) : 0;
    const mins = c !== undefined || d !== undefined ? Number(b) : Number(a);
    const secs = c !== undefined ? Number(c) : d !== undefined ? 0 : Number(b);
    minutes = Number(d ?? 0) * 1440 + hours * 60 + mins + Math.ceil(secs / 60);
  } else {
    const parts = [...s.matchAll(/(\d+(?:\.\d+)?)\s*(d|h|m|min|s)/g)];
    if (!parts.length || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== s.replace(/\s/g, '')) throw invalid();
    let total = 0;
    for (const [, n, unit] of parts) total += Number(n) * (unit === 'd' ? 1440 : unit === 'h' ? 60 : unit === 's' ? 1 / 60 : 1);
    minutes = Math.ceil(total);
  }
  if (!Number.isFinite(minutes) || minutes < 1) throw invalid();
  return minutes;
}

/** Minutes as Slurm's `--time` takes them: `D-HH:MM:00`. */
export function slurmTime(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d}-${pad(h)}:${pad(m)}:00`;
}
