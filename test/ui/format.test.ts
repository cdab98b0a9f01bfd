import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatClock,
  formatDate,
  formatDuration,
  formatPercent,
  formatRate,
  shortDigest,
  syncErrorText,
} from '../../src/renderer/src/lib/format';

describe('formatBytes', () => {
  it('uses binary units with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(340 * 1024 ** 2)).toBe('340 MB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.3 GB');
  });
  it('never shows NaN or negatives', () => {
    expect(formatBytes(Number.NaN)).toBe('0 B');
    expect(formatBytes(-5)).toBe('0 B');
    expect(formatBytes(undefined)).toBe('0 B');
  });
});

describe('formatRate', () => {
  it('shows a dash until a rate is known', () => {
    expect(formatRate(0)).toBe('—');
    expect(formatRate(undefined)).toBe('—');
    expect(formatRate(12.3 * 1024 ** 2)).toBe('12.3 MB/s');
  });
});

describe('formatClock', () => {
  it('keeps a stable clock shape', () => {
    expect(formatClock(7)).toBe('0:07');
    expect(formatClock(245)).toBe('4:05');
    expect(formatClock(3729)).toBe('1:02:09');
    expect(formatClock(-1)).toBe('—');
    expect(formatClock(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('reads like a person would say it', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(185 * 60_000)).toBe('3 h 05 min');
    expect(formatDuration(52 * 3600_000)).toBe('2 d 4 h');
  });
  it('treats the past as zero (an idle stop that is due)', () => {
    expect(formatDuration(-30_000)).toBe('0 s');
  });
});

describe('small labels', () => {
  it('dates, digests and percentages', () => {
    expect(formatDate('2026-11-02T10:00:00Z')).toBe('2026-11-02');
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatDate(undefined)).toBe('—');
    expect(shortDigest(`sha256:${'ab'.repeat(32)}`)).toBe('sha256:abababababab');
    expect(formatPercent(4.25)).toBe('4.3 %');
    expect(formatPercent(180.4)).toBe('180 %');
  });
});

describe('syncErrorText', () => {
  it('says with which host, since when (local time), why, and how often it is retried', () => {
    const since = new Date(2026, 10, 23, 14, 12, 30).toISOString();
    expect(syncErrorText('gpu-box', { code: 'SYNC_FAILED', message: 'The sync with gpu-box stopped: boom.', since, retryEveryMs: 5000 }))
      .toBe('Sync with gpu-box failing since 14:12: SYNC_FAILED The sync with gpu-box stopped: boom. — retrying every 5 s');
  });
});
