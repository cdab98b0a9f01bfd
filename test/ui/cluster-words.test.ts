import { describe, expect, it } from 'vitest';
import { limitMinutes, ordinal, pendingWords, slurmTimeMinutes, timeLeft } from '../../src/renderer/src/lib/cluster-words';

describe('cluster card words', () => {
  it('says a pending job\'s reason and place in line', () => {
    expect(pendingWords({ reason: 'waiting for GPUs', reasonCode: 'Resources', position: 2 })).toBe('waiting for GPUs — 2nd in line');
    expect(pendingWords({ reason: 'waiting for GPUs', reasonCode: 'Resources', position: 1 })).toBe('waiting for GPUs — next in line');
    expect(pendingWords({ reason: 'over your GPU quota (QOS)', reasonCode: 'QOSMaxGRESPerUser' })).toBe('over your GPU quota (QOS)');
    expect(pendingWords({ reasonCode: 'Odd' })).toBe('pending (Odd)');
  });

  it('writes ordinals as people do', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']);
  });

  it('counts the time --time leaves', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    expect(timeLeft('2026-12-02T11:12:30Z', now)).toBe('1 h 12 min left');
    expect(timeLeft('2026-12-02T09:59:00Z', now)).toBe('ending now');
    expect(timeLeft(undefined, now)).toBe('—');
    expect(limitMinutes({ startedAt: '2026-12-02T10:00:00Z', endsAt: '2026-12-02T14:00:00Z' })).toBe(240);
    expect(limitMinutes({ startedAt: undefined, endsAt: '2026-12-02T14:00:00Z' })).toBeUndefined();
  });

  it('reads Slurm\'s time limits', () => {
    expect(slurmTimeMinutes('4:00:00')).toBe(240);
    expect(slurmTimeMinutes('1-00:00:00')).toBe(1440);
    expect(slurmTimeMinutes('2-12')).toBe(3600);
    expect(slurmTimeMinutes('30:00')).toBe(30);
    expect(slurmTimeMinutes('90')).toBe(90);
    expect(slurmTimeMinutes('infinite')).toBeUndefined();
    expect(slurmTimeMinutes('UNLIMITED')).toBeUndefined();
  });
});
