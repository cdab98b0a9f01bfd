import { describe, expect, it } from 'vitest';
import { hintsFor } from '../../src/renderer/src/lib/app-hints';
import { driftsFromPin, liveSessionOf, versionLabel } from '../../src/renderer/src/lib/pin-drift';
import type { SessionInfo } from '../../src/shared/ipc';

describe('hintsFor', () => {
  it('puts the app fix first and keeps the CLI hint second for a known code', () => {
    const hints = hintsFor({ code: 'IMAGE_NOT_PINNED', message: 'm', hint: 'Pin a version first (`benchtop pin`).' });
    expect(hints.app).toContain('Images screen');
    expect(hints.terminal).toBe('Pin a version first (`benchtop pin`).');
  });

  it('shows a plain-language hint as the fix, and a CLI-only hint of an unknown code only for a terminal', () => {
    expect(hintsFor({ code: 'DISK_FULL', message: 'm', hint: 'Free some disk space.' })).toEqual({ app: 'Free some disk space.' });
    expect(hintsFor({ code: 'SYNC_BUSY', message: 'm', hint: 'Run it with --force.' })).toEqual({ terminal: 'Run it with --force.' });
  });
});

describe('pin drift', () => {
  const session = (over: Partial<SessionInfo>): SessionInfo =>
    ({ id: 's', name: 'n', projectDir: '/p', projectName: 'p', target: 'local', image: 'i', digest: 'sha256:aaa', state: 'ready', gpus: [], idleMinutes: 0, mine: true, ...over }) as SessionInfo;

  it('names versions, and a short digest only without a version', () => {
    expect(versionLabel('2026.11.1', 'sha256:0123456789abcdef')).toBe('2026.11.1');
    expect(versionLabel(undefined, 'sha256:0123456789abcdef')).toBe('sha256:0123456789ab');
  });

  it('flags a live session of the project whose digest is not the pin', () => {
    const pinned = { repository: 'r', digest: 'sha256:bbb', version: '2' };
    expect(driftsFromPin(session({}), '/p', pinned)).toBe(true);
    expect(driftsFromPin(session({ digest: 'sha256:bbb' }), '/p', pinned)).toBe(false);
    expect(driftsFromPin(session({ state: 'stopped' }), '/p', pinned)).toBe(false);
    expect(driftsFromPin(session({ projectDir: '/other' }), '/p', pinned)).toBe(false);
  });

  it('finds only this install’s live session of the project on the target', () => {
    const list = [session({ id: 'a', mine: false }), session({ id: 'b', state: 'stopped' }), session({ id: 'c' })];
    expect(liveSessionOf(list, '/p')?.id).toBe('c');
    expect(liveSessionOf(list, '/p', 'gpu-1')).toBeUndefined();
  });
});
