// The clusters calls refuse what they cannot act on before anything reaches a cluster: a target that
// is not a cluster of this install, counts that are not whole numbers, a session id that is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import { Core } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';

const home = mkdtempSync(join(tmpdir(), 'bt-test-clusters-api-'));
const core = new Core({ settings: openConfSettings(home), shell: 'cli' });
const handlers = createHandlers(core);
afterAll(async () => {
  await core.close();
  rmSync(home, { recursive: true, force: true });
});

describe('clusters calls', () => {
  it('refuse a target that is not a Slurm cluster of this install, naming how to add one', async () => {
    for (const [channel, request] of [
      ['clusterCheck', { hostId: 'gpu-box' }],
      ['clusterGpuJobs', { target: 'local' }],
      ['clusterSessionList', { target: 'nowhere' }],
      ['clusterSessionUp', { opId: 'up-1', dir: home, target: 'gpu-box', gpus: 1 }],
    ] as const) {
      const answer = await dispatch(handlers, channel, request);
      expect(answer, channel).toMatchObject({ error: { code: 'HOST_INVALID', hint: expect.stringContaining('Add a Slurm cluster') } });
    }
  });

  it('list every cluster session: none without clusters', async () => {
    expect(await dispatch(handlers, 'clusterSessionList', {})).toEqual({ result: [] });
    expect(await dispatch(handlers, 'clusterList', undefined)).toEqual({ result: [] });
  });

  it('refuse missing ids and counts that are not whole numbers', async () => {
    expect(await dispatch(handlers, 'clusterSessionCancel', {})).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
    expect(await dispatch(handlers, 'clusterSessionOpen', { id: '' })).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
    expect(await dispatch(handlers, 'clusterSessionExtend', { id: '12@c', timeMinutes: 1.5 })).toMatchObject({ error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('whole number') } });
    expect(await dispatch(handlers, 'clusterSessionExtend', { id: '12@c', timeMinutes: 0 })).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
    // A session id of no cluster here is not found (the core's own answer), not a crash.
    expect(await dispatch(handlers, 'clusterSessionCancel', { id: '12@nowhere' })).toMatchObject({ error: { code: 'SLURM_JOB_NOT_FOUND' } });
  });
});
