import { describe, expect, it } from 'vitest';
import type { PullProgress } from '../../src/shared/ipc';
import { etaSeconds, fraction, pullProgressText, pushSample, sparkline } from '../../src/renderer/src/lib/progress';

const pull = (over: Partial<PullProgress>): PullProgress => ({
  opId: 'op',
  ref: 'r',
  phase: 'downloading',
  bytesDone: 0,
  bytesTotal: 0,
  rate: 0,
  layersDone: 0,
  layersTotal: 0,
  ...over,
});

describe('fraction', () => {
  it('is null (indeterminate) when no total is known, and clamped otherwise', () => {
    expect(fraction(10, 0)).toBeNull();
    expect(fraction(10, Number.NaN)).toBeNull();
    expect(fraction(50, 200)).toBe(0.25);
    expect(fraction(300, 200)).toBe(1);
  });
});

describe('etaSeconds', () => {
  it('estimates from the rate, and refuses to guess without one', () => {
    expect(etaSeconds(100, 1100, 100)).toBe(10);
    expect(etaSeconds(100, 1100, 0)).toBeUndefined();
    expect(etaSeconds(1100, 1100, 0)).toBe(0);
  });
});

describe('pullProgressText', () => {
  it('says how much, how fast and how long', () => {
    const text = pullProgressText(
      pull({ bytesDone: 100 * 1024 ** 2, bytesTotal: 400 * 1024 ** 2, rate: 10 * 1024 ** 2, layersDone: 2, layersTotal: 5 }),
    );
    expect(text).toEqual({ value: 0.25, amount: '100 MB of 400 MB', rate: '10.0 MB/s', remaining: '0:30 left', parts: '2 of 5 layers' });
  });
  it('uses the service’s own estimate when it sends one', () => {
    expect(pullProgressText(pull({ bytesDone: 1, bytesTotal: 2, rate: 1, etaSeconds: 75 })).remaining).toBe('1:15 left');
  });
  it('copes with a missing total (the engine did not say) and a finished pull', () => {
    const unknown = pullProgressText(pull({ bytesDone: 2048 }));
    expect(unknown.value).toBeNull();
    expect(unknown.amount).toBe('2.0 KB');
    expect(unknown.remaining).toBe('— left');
    expect(pullProgressText(pull({ phase: 'done' })).value).toBe(1);
  });
});

describe('samples and sparkline', () => {
  it('keeps a fixed window of the newest samples', () => {
    let samples: number[] = [];
    for (let i = 0; i < 70; i++) samples = pushSample(samples, i, 60);
    expect(samples).toHaveLength(60);
    expect(samples[0]).toBe(10);
    expect(samples[59]).toBe(69);
  });
  it('draws newest on the right edge, clamped into the box', () => {
    const points = sparkline([0, 50, 200], 100, 20, 100, 3).split(' ');
    expect(points).toEqual(['0.0,20.0', '50.0,10.0', '100.0,0.0']);
    expect(sparkline([], 100, 20, 100)).toBe('');
  });
});
