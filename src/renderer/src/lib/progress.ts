/**
 * Progress math for pulls and syncs. The engine may report no total (or a total that grows as
 * layers are discovered), so every function here guards against 0, missing and overshooting values.
 */
import type { PullProgress, SyncProgress } from '../../../shared/ipc';
import { formatBytes, formatClock, formatRate } from './format';

/** 0..1, or null when nothing says how much there is to do (show an indeterminate bar). */
export function fraction(done: number, total: number): number | null {
  if (!Number.isFinite(total) || total <= 0 || !Number.isFinite(done)) return null;
  return Math.min(1, Math.max(0, done / total));
}

/** Seconds left from the current rate, or undefined when it cannot be estimated honestly. */
export function etaSeconds(done: number, total: number, rate: number): number | undefined {
  if (!(rate > 0) || !(total > 0) || done >= total) return done >= total && total > 0 ? 0 : undefined;
  return (total - done) / rate;
}

export interface ProgressText {
  /** 0..1 or null (indeterminate). */
  value: number | null;
  /** `340 MB of 1.2 GB` */
  amount: string;
  /** `12.3 MB/s` */
  rate: string;
  /** `1:05 left` */
  remaining: string;
  /** `3 of 7 layers` */
  parts: string;
}

const PHASE_WORDS: Record<PullProgress['phase'], string> = {
  resolving: 'Resolving the pinned digest',
  downloading: 'Downloading',
  extracting: 'Extracting',
  verifying: 'Verifying',
  done: 'Done',
};

export const pullPhaseText = (phase: PullProgress['phase']): string => PHASE_WORDS[phase];

export function pullProgressText(p: PullProgress): ProgressText {
  const eta = p.etaSeconds ?? etaSeconds(p.bytesDone, p.bytesTotal, p.rate);
  return {
    value: p.phase === 'done' ? 1 : fraction(p.bytesDone, p.bytesTotal),
    amount: p.bytesTotal > 0 ? `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` : formatBytes(p.bytesDone),
    rate: formatRate(p.rate),
    remaining: eta === undefined ? '— left' : `${formatClock(eta)} left`,
    parts: p.layersTotal > 0 ? `${p.layersDone} of ${p.layersTotal} layers` : '',
  };
}

export function syncProgressText(p: SyncProgress): ProgressText {
  return {
    value: p.phase === 'done' ? 1 : fraction(p.bytesDone, p.bytesTotal),
    amount: `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`,
    rate: '',
    remaining: '',
    parts: `${p.filesDone} of ${p.filesTotal} files`,
  };
}

/** Keeps the last `limit` samples: a fixed-size window for the per-session CPU/memory plots. */
export function pushSample<T>(samples: readonly T[], sample: T, limit = 60): T[] {
  const next = samples.length >= limit ? samples.slice(samples.length - limit + 1) : samples.slice();
  next.push(sample);
  return next;
}

/** SVG polyline points for values in 0..max drawn into a width×height box, newest on the right. */
export function sparkline(values: readonly number[], width: number, height: number, max: number, slots = 60): string {
  if (values.length === 0 || !(max > 0)) return '';
  const step = width / Math.max(1, slots - 1);
  const start = width - step * (values.length - 1);
  return values
    .map((v, i) => {
      const y = height - (Math.min(max, Math.max(0, v)) / max) * height;
      return `${(start + i * step).toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
