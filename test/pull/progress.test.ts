import { describe, expect, it } from 'vitest';
import { assertRoomForPull } from '../../src/main/core/pull/disk';
import { pullEventError, pullFailure } from '../../src/main/core/pull/follow';
import { PullProgressTracker, throttle } from '../../src/main/core/pull/progress';

describe('pull progress as the user sees it', () => {
  it('adds up layers into bytes done of total, layers done, rate and time left', () => {
    const t = new PullProgressTracker('op', 'repo@sha256:x');
    t.update({ status: 'Pulling from team/analysis', id: 'sha256:x' }, 0);
    t.update({ status: 'Pulling fs layer', id: 'a' }, 0);
    t.update({ status: 'Pulling fs layer', id: 'b' }, 0);
    t.update({ status: 'Downloading', id: 'a', progressDetail: { current: 0, total: 1000 } }, 0);
    t.update({ status: 'Downloading', id: 'b', progressDetail: { current: 0, total: 3000 } }, 0);
    t.update({ status: 'Downloading', id: 'a', progressDetail: { current: 1000, total: 1000 } }, 1000);
    t.update({ status: 'Download complete', id: 'a' }, 1000);
    t.update({ status: 'Pull complete', id: 'a' }, 1000);
    t.update({ status: 'Downloading', id: 'b', progressDetail: { current: 1000, total: 3000 } }, 1000);
    expect(t.snapshot(1000)).toEqual({
      opId: 'op', ref: 'repo@sha256:x', phase: 'downloading',
      bytesDone: 2000, bytesTotal: 4000, rate: 2000, etaSeconds: 1, layersDone: 1, layersTotal: 2,
    });
  });

  it('stays resolving until the engine has named every layer of the manifest, so the first total is the last', () => {
    const t = new PullProgressTracker('op', 'r', 0, { a: 1000, b: 3000, c: 500 });
    t.update({ status: 'Pulling fs layer', id: 'a' }, 0);
    expect(t.snapshot(0)).toMatchObject({ phase: 'resolving' });
    t.update({ status: 'Already exists', id: 'c' }, 0);
    t.update({ status: 'Pulling fs layer', id: 'b' }, 0);
    expect(t.snapshot(0)).toMatchObject({ phase: 'downloading', bytesDone: 0, bytesTotal: 4000 });
    // A layer named in no manifest entry (another id form) cannot hold the phase back once bytes flow.
    const u = new PullProgressTracker('op', 'r', 0, { other: 10 });
    u.update({ status: 'Downloading', id: 'a', progressDetail: { current: 5, total: 10 } }, 0);
    expect(u.snapshot(0).phase).toBe('downloading');
  });

  it('tolerates events without a total, using the registry’s size meanwhile, and layers that already exist', () => {
    const t = new PullProgressTracker('op', 'r', 5000);
    t.update({ status: 'Already exists', id: 'base' }, 0);
    t.update({ status: 'Downloading', id: 'c', progressDetail: { current: 700 } }, 0);
    t.update({ status: 'Downloading', id: 'd', progressDetail: {} }, 0);
    const s = t.snapshot(0);
    expect(s).toMatchObject({ bytesDone: 700, bytesTotal: 5000, layersDone: 1, layersTotal: 3, phase: 'downloading' });
    expect(Number.isFinite(s.rate)).toBe(true);
    t.update({ status: 'Download complete', id: 'c' }, 10);
    t.update({ status: 'Download complete', id: 'd' }, 10);
    t.update({ status: 'Extracting', id: 'c', progressDetail: { current: 10, total: 700 } }, 10);
    expect(t.snapshot(10).phase).toBe('extracting');
    t.finish(20);
    expect(t.snapshot(20).phase).toBe('verifying');
  });

  it('throttles to one event per interval and always delivers the last one', () => {
    let now = 0;
    const seen: number[] = [];
    const th = throttle<number>(200, () => now, (v) => seen.push(v));
    for (let i = 0; i < 10; i += 1) {
      now = i * 50;
      th.push(i);
    }
    th.flush();
    expect(seen).toEqual([0, 4, 8, 9]);
  });

  it('sends a value at once when its key (the phase) changes, however soon after the last', () => {
    let now = 0;
    const seen: string[] = [];
    const th = throttle<string>(200, () => now, (v) => seen.push(v), (v) => v.split(':')[0]);
    for (const [at, v] of [[0, 'resolving'], [10, 'downloading:1'], [20, 'downloading:2'], [30, 'extracting:1'], [40, 'extracting:2']] as const) {
      now = at;
      th.push(v);
    }
    th.flush();
    expect(seen).toEqual(['resolving', 'downloading:1', 'extracting:1', 'extracting:2']);
  });

  it('treats error lines as failures with the daemon’s words and a code to act on', () => {
    expect(pullEventError({ error: 'boom' })).toBe('boom');
    expect(pullEventError({ errorDetail: { message: 'detail' } })).toBe('detail');
    expect(pullEventError({ status: 'Downloading' })).toBeUndefined();
    expect(pullFailure('received unexpected HTTP status: 500 Internal Server Error')).toMatchObject({ code: 'PULL_FAILED', message: expect.stringContaining('500 Internal Server Error') });
    expect(pullFailure('manifest for x not found: manifest unknown')).toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    expect(pullFailure('unauthorized: authentication required')).toMatchObject({ code: 'REGISTRY_AUTH_FAILED' });
    expect(pullFailure('write /var/lib/docker/tmp/x: no space left on device')).toMatchObject({ code: 'DISK_FULL' });
  });

  it('refuses early when twice the compressed size does not fit, and lets unknown sizes through', () => {
    expect(() => assertRoomForPull('r', 6e9, 10e9, '/var/lib/docker')).toThrow(expect.objectContaining({ code: 'DISK_FULL', message: 'Pulling r needs about 12.0 GB but only 10.0 GB is free at /var/lib/docker.' }));
    expect(() => assertRoomForPull('r', 4e9, 10e9, '/x')).not.toThrow();
    expect(() => assertRoomForPull('r', undefined, 1, '/x')).not.toThrow();
    expect(() => assertRoomForPull('r', 1e12, undefined, '/x')).not.toThrow();
  });
});

describe('pull progress with the manifest’s layer sizes', () => {
  it('knows the true total from the first events, leaves out layers already present, and never shrinks it', () => {
    // Short ids are what the engine names layers by: the first 12 hex of each layer digest.
    const t = new PullProgressTracker('op', 'r', 321_000, { base00000000: 129_000, new000000001: 96_000, new000000002: 96_000 });
    t.update({ status: 'Already exists', id: 'base00000000' }, 0);
    t.update({ status: 'Pulling fs layer', id: 'new000000001' }, 0);
    t.update({ status: 'Pulling fs layer', id: 'new000000002' }, 0);
    const totals = [t.snapshot(0).bytesTotal];
    t.update({ status: 'Downloading', id: 'new000000001', progressDetail: { current: 20_000, total: 96_000 } }, 100);
    totals.push(t.snapshot(100).bytesTotal);
    t.update({ status: 'Downloading', id: 'new000000002', progressDetail: { current: 50_000, total: 96_000 } }, 200);
    totals.push(t.snapshot(200).bytesTotal);
    expect(totals).toEqual([192_000, 192_000, 192_000]);
    expect(t.snapshot(200)).toMatchObject({ bytesDone: 70_000, layersDone: 1, layersTotal: 3 });
  });
});
