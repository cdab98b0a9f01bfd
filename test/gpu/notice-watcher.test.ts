import { describe, expect, it } from 'vitest';
import { GpuNoticeWatcher } from '../../src/main/core/gpu/notice-watcher';
import type { GpuNotice } from '../../src/shared/contract/hosts';

const notice = (over: Partial<GpuNotice>): GpuNotice => ({
  target: 'gpu-box', kind: 'lease-expiry', sessionId: 's-1', at: '2026-12-02T10:00:00.000Z', message: 'The lease on GPU-1 for s-1 expires at 10:00:00 UTC; extend it.', mine: true, ...over,
});

describe('GPU notices to the holder', () => {
  it('shows each of this install’s notices once, never another holder’s, and survives an unreachable host', async () => {
    const shown: GpuNotice[] = [];
    let answer: GpuNotice[] = [notice({}), notice({ sessionId: 's-2', mine: false })];
    const watcher = new GpuNoticeWatcher({
      targets: () => ['gpu-box', 'down-box'],
      notices: async (target) => {
        if (target === 'down-box') throw new Error('HOST_UNREACHABLE');
        return answer;
      },
      show: (n) => shown.push(n),
    });
    expect(await watcher.checkNow()).toEqual([notice({})]);
    expect(await watcher.checkNow()).toEqual([]);
    // The agent stopped the session: a new notice, shown once.
    answer = [notice({}), notice({ kind: 'stopped', at: '2026-12-02T10:00:05.000Z', message: 'The lease … expired; the session was stopped.' })];
    expect((await watcher.checkNow()).map((n) => n.kind)).toEqual(['stopped']);
    expect(shown.map((n) => n.kind)).toEqual(['lease-expiry', 'stopped']);
  });
});
