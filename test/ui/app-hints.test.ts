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

describe('app hints for codes whose core hint names a command', () => {
  // Codes a user meets on a screen that can fix them (the core's hint names a CLI command).
  const onScreen = [
    'ENGINE_UNREACHABLE', 'DEVCONTAINER_MISSING', 'DEVCONTAINER_INVALID', 'DEVCONTAINER_COMMAND_FAILED', 'TAG_NOT_FOUND', 'IMAGE_NOT_FOUND',
    'LOCKFILE_INVALID', 'JUPYTER_ARGS_REFUSED', 'SESSION_EXISTS', 'SESSION_FAILED', 'NOT_OWNER', 'HOST_KEY_UNKNOWN', 'HOST_UNREACHABLE',
    'GPU_BUSY', 'QUOTA_EXCEEDED', 'SYNC_ROOT_MISSING', 'SYNC_MASS_DELETE', 'TRASH_NOT_FOUND', 'CLOUD_NOT_CONFIGURED',
  ] as const;

  it.each(onScreen)('%s has a fix in the app’s words, the command second', (code) => {
    const hints = hintsFor({ code, message: 'm', hint: 'Run `benchtop something --flag`.' });
    expect(hints.app).toMatch(/\S/);
    expect(hints.app).not.toMatch(/`|(^|\s)--[a-z]|benchtop /);
    expect(hints.terminal).toBe('Run `benchtop something --flag`.');
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
