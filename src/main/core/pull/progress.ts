import type { PullProgress } from '../../../shared/contract/sessions';

/** One line of the engine's pull stream (`POST /images/create`). Every field may be missing. */
export interface PullEvent {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

interface Layer {
  downloaded: number;
  /** 0 until the engine says; small layers and some registries never send a total. */
  size: number;
  state: 'waiting' | 'downloading' | 'downloaded' | 'extracting' | 'done';
}

const RATE_WINDOW_MS = 3000;

/**
 * Folds the engine's per-layer pull events into the one progress line the user sees: bytes done of
 * total, layers done, rate over the last few seconds and time left. Pure: time comes in as `now`.
 */
export class PullProgressTracker {
  readonly #layers = new Map<string, Layer>();
  readonly #samples: { at: number; bytes: number }[] = [];
  #finished = false;

  /**
   * `sizeHint` is the registry's compressed size, used while the engine has not told every layer's
   * size; `layerSizes` (by short layer id, from the manifest) gives each layer's size as soon as the
   * engine names it, so the total is right from the first event and never shrinks.
   */
  constructor(
    readonly opId: string,
    readonly ref: string,
    private readonly sizeHint = 0,
    private readonly layerSizes: Readonly<Record<string, number>> = {},
  ) {}

  update(event: PullEvent, now: number): void {
    const id = event.id;
    const status = event.status ?? '';
    if (!id || /^(Pulling from|Digest:|Status:)/.test(status)) return;
    const layer = this.#layers.get(id) ?? { downloaded: 0, size: this.layerSizes[id] ?? 0, state: 'waiting' as Layer['state'] };
    this.#layers.set(id, layer);
    const total = event.progressDetail?.total;
    const current = event.progressDetail?.current;
    if (status === 'Downloading') {
      layer.state = 'downloading';
      if (typeof total === 'number' && total > 0) layer.size = total;
      if (typeof current === 'number') layer.downloaded = Math.max(layer.downloaded, current);
    } else if (status === 'Download complete' || status === 'Verifying Checksum') {
      layer.state = 'downloaded';
      layer.downloaded = Math.max(layer.downloaded, layer.size);
      layer.size = Math.max(layer.size, layer.downloaded);
    } else if (status === 'Extracting') {
      layer.state = 'extracting';
      layer.downloaded = Math.max(layer.downloaded, layer.size);
    } else if (status === 'Already exists') {
      // Nothing to fetch: it counts neither as done bytes nor toward the total.
      layer.state = 'done';
      layer.size = 0;
      layer.downloaded = 0;
    } else if (status === 'Pull complete') {
      layer.state = 'done';
      layer.downloaded = Math.max(layer.downloaded, layer.size);
    }
    this.#sample(now);
  }

  /** Marks the stream finished (the caller then verifies the digest). */
  finish(now: number): void {
    this.#finished = true;
    this.#sample(now);
  }

  snapshot(now: number, phase?: PullProgress['phase']): PullProgress {
    const layers = [...this.#layers.values()];
    const bytesDone = layers.reduce((sum, l) => sum + l.downloaded, 0);
    const known = layers.reduce((sum, l) => sum + l.size, 0);
    const unknownLeft = layers.some((l) => l.size === 0 && l.state !== 'done');
    // While some layer's size is unknown, the registry's figure (when we have it) is the better total.
    const bytesTotal = Math.max(known, bytesDone, unknownLeft ? this.sizeHint : 0);
    const rate = this.#rate(now);
    const left = Math.max(0, bytesTotal - bytesDone);
    return {
      opId: this.opId,
      ref: this.ref,
      phase: phase ?? this.#phase(layers),
      bytesDone,
      bytesTotal,
      rate,
      etaSeconds: rate > 0 && left > 0 ? Math.ceil(left / rate) : left === 0 && layers.length > 0 ? 0 : undefined,
      layersDone: layers.filter((l) => l.state === 'done').length,
      layersTotal: layers.length,
    };
  }

  #phase(layers: Layer[]): PullProgress['phase'] {
    if (this.#finished) return 'verifying';
    if (layers.length === 0) return 'resolving';
    // Until the engine has named every layer of the manifest (which it has, which it fetches) the
    // total is not known yet: still resolving, so the first total the user sees is the final one.
    const named = Object.keys(this.layerSizes).every((id) => this.#layers.has(id));
    if (!named && !layers.some((l) => l.downloaded > 0)) return 'resolving';
    if (layers.some((l) => l.state === 'waiting' || l.state === 'downloading')) return 'downloading';
    return 'extracting';
  }

  #sample(now: number): void {
    const bytes = [...this.#layers.values()].reduce((sum, l) => sum + l.downloaded, 0);
    this.#samples.push({ at: now, bytes });
    while (this.#samples.length > 2 && now - this.#samples[0].at > RATE_WINDOW_MS) this.#samples.shift();
  }

  #rate(now: number): number {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || !last || last.at <= first.at) return 0;
    const span = Math.max(now, last.at) - first.at;
    return span > 0 ? Math.round(((last.bytes - first.bytes) * 1000) / span) : 0;
  }
}

/**
 * Calls `emit` at most every `intervalMs` (about 5 per second), always for the last value, and at once
 * when `key` of a value differs from the last one emitted (a new phase is never swallowed: a fast
 * download would otherwise go from "resolving" straight to "extracting").
 */
export function throttle<T>(
  intervalMs: number,
  now: () => number,
  emit: (value: T) => void,
  key: (value: T) => unknown = () => undefined,
): { push(value: T): void; flush(): void } {
  let last = -Infinity;
  let lastKey: unknown;
  let pending: T | undefined;
  const send = (value: T, at: number): void => {
    last = at;
    lastKey = key(value);
    pending = undefined;
    emit(value);
  };
  return {
    push(value) {
      const at = now();
      if (at - last >= intervalMs || key(value) !== lastKey) send(value, at);
      else pending = value;
    },
    flush() {
      if (pending !== undefined) send(pending, now());
    },
  };
}
