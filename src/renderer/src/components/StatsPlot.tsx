import { sparkline } from '../lib/progress';
import { formatBytes, formatPercent } from '../lib/format';

export interface StatsSample {
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
}

const W = 120;
const H = 32;

/**
 * CPU and memory over the last minute, hand-drawn in SVG (no chart library for two lines).
 * CPU can exceed 100 % on several cores, so its scale follows the highest value seen.
 */
export function StatsPlot({ samples, label }: { samples: readonly StatsSample[]; label: string }) {
  const last = samples[samples.length - 1];
  const cpu = samples.map((s) => s.cpuPercent);
  const mem = samples.map((s) => (s.memoryLimitBytes > 0 ? (s.memoryBytes / s.memoryLimitBytes) * 100 : 0));
  const cpuMax = Math.max(100, ...cpu);
  const summary = last
    ? `CPU ${formatPercent(last.cpuPercent)}, memory ${formatBytes(last.memoryBytes)}`
    : 'No samples yet';
  return (
    <figure className="stats-plot" aria-label={`${label}: ${summary}`}>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} aria-hidden="true">
        <rect x="0" y="0" width={W} height={H} className="plot-bg" />
        <polyline points={sparkline(mem, W, H, 100)} className="plot-mem" />
        <polyline points={sparkline(cpu, W, H, cpuMax)} className="plot-cpu" />
      </svg>
      <figcaption className="num">
        <span className="legend-cpu">CPU {last ? formatPercent(last.cpuPercent) : '—'}</span>
        <span className="legend-mem">Mem {last ? formatBytes(last.memoryBytes) : '—'}</span>
      </figcaption>
    </figure>
  );
}
