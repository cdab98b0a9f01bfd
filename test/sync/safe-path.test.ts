import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMassDelete, checkRoots, isMassDelete } from '../../src/main/core/sync/guards';
import { emptyPlan } from '../../src/main/core/sync/plan';
import { refusedPaths, unsafeReason } from '../../src/main/core/sync/safe-path';
import { LocalTrash } from '../../src/main/core/sync/trash';
import type { BenchtopError } from '../../src/main/core/errors';

describe('names from the other side', () => {
  it('are refused when they would leave the notebooks folder, anywhere', () => {
    expect(unsafeReason('../etc/passwd', 'posix')).toBe('has a ".." segment that would leave its folder');
    expect(unsafeReason('a/../../b', 'posix')).toBe('has a ".." segment that would leave its folder');
    expect(unsafeReason('/etc/passwd', 'posix')).toBe('is an absolute path');
    expect(unsafeReason('a//b', 'posix')).toBe('has an empty folder name (a double slash)');
    expect(unsafeReason('a\0b', 'posix')).toBe('contains a NUL character');
    expect(unsafeReason('notes/résumé (v2).ipynb', 'posix')).toBeUndefined();
  });

  it('are refused on Windows where Windows would read them as paths, devices or streams, and pass elsewhere', () => {
    expect(unsafeReason('a\\b.ipynb', 'win32')).toBe('contains a backslash, which Windows reads as a folder separator');
    expect(unsafeReason('C:evil.ipynb', 'win32')).toBe('starts with a drive letter');
    expect(unsafeReason('notes.ipynb:hidden', 'win32')).toBe('contains a colon, which Windows reads as an alternate data stream');
    expect(unsafeReason('data/CON.txt', 'win32')).toBe('uses "CON.txt", a device name on Windows');
    expect(unsafeReason('lpt1', 'win32')).toBe('uses "lpt1", a device name on Windows');
    expect(unsafeReason('what?.ipynb', 'win32')).toBe('has a character Windows does not allow in "what?.ipynb"');
    expect(unsafeReason('trailing.', 'win32')).toBe('has "trailing.", which Windows silently changes (trailing dot or space)');
    expect(unsafeReason('a\\b:c CON', 'posix')).toBeUndefined();
    expect(unsafeReason('console.ipynb', 'win32')).toBeUndefined();
  });

  it('that differ only in case from another are a conflict on a case-insensitive file system, not an overwrite', () => {
    // Trees list folders too: a folder spelt differently is refused, and the sync leaves out everything under it.
    const incoming = ['Data', 'Data/x.ipynb', 'data', 'data/y.ipynb', 'Report.ipynb', 'report.ipynb', 'same.ipynb'];
    const here = ['data', 'data/y.ipynb', 'same.ipynb'];
    expect(refusedPaths(incoming, here, { platform: 'posix', caseInsensitive: false })).toEqual([]);
    const refused = refusedPaths(incoming, here, { platform: 'posix', caseInsensitive: true });
    expect(refused.map((r) => r.path).sort()).toEqual(['Data', 'Report.ipynb', 'report.ipynb']);
    expect(refused.find((r) => r.path === 'Report.ipynb')?.reason).toBe('differs only in case from "report.ipynb", and this file system does not tell them apart');
  });
});

describe('guards', () => {
  const base = new Map(Array.from({ length: 4 }, (_, i) => [`f${i}`, { type: 'file' as const, sha256: 'x' }]));
  const files = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`f${i}`, { type: 'file' as const, size: 1, mtime: '1', mode: 0o644 }]));
  const input = (over: Partial<Parameters<typeof checkRoots>[0]>) => ({
    plan: emptyPlan(), local: files(4), remote: files(4), base, localRoot: 'folder' as const, localRootPath: '/p/notebooks', targetName: 'gpu-box', confirmed: false, ...over,
  });

  it('a missing folder is SYNC_ROOT_MISSING even when confirmed; an emptied one until confirmed', () => {
    const missing = (() => { try { checkRoots(input({ localRoot: 'missing', local: new Map(), confirmed: true })); } catch (e) { return e as BenchtopError; } })();
    expect(missing?.code).toBe('SYNC_ROOT_MISSING');
    const plan = { ...emptyPlan(), deleteRemote: ['f0', 'f1', 'f2', 'f3'] };
    expect(() => checkRoots(input({ plan, local: new Map() }))).toThrow(/is empty, while the last sync with gpu-box saw 4 files/);
    expect(() => checkRoots(input({ plan, local: new Map(), confirmed: true }))).not.toThrow();
    // The first sync of an empty folder is no loss.
    expect(() => checkRoots(input({ plan, local: new Map(), base: new Map() }))).not.toThrow();
  });

  it('more than five deletions, or three or more that are over half a side, ask first', () => {
    expect([isMassDelete(5, 100), isMassDelete(6, 100), isMassDelete(2, 3), isMassDelete(3, 5), isMassDelete(3, 6)]).toEqual([false, true, false, true, false]);
    const plan = { ...emptyPlan(), deleteLocal: ['a', 'b', 'c'] };
    expect(() => checkMassDelete(input({ plan, local: files(4) }))).toThrow('This sync would delete 3 files on this computer ("a", "b", "c"). Nothing was synced or deleted.');
    expect(() => checkMassDelete(input({ plan, local: files(4), confirmed: true }))).not.toThrow();
  });
});

describe('the local trash', () => {
  it('lists kept versions and expires batches older than 30 days by the time in their name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-test-trash-'));
    try {
      const trash = new LocalTrash(join(dir, 'trash'));
      const source = join(dir, 'source.ipynb');
      await writeFile(source, 'kept');
      const now = Date.now();
      await trash.keep(source, `${now}-0000aaaa`, 'deleted', 'sub/a.ipynb');
      await trash.keep(source, `${now - 31 * 24 * 3600 * 1000}-0000bbbb`, 'replaced', 'old.ipynb');
      expect((await trash.list()).map((e) => [e.path, e.kind]).sort()).toEqual([['old.ipynb', 'replaced'], ['sub/a.ipynb', 'deleted']]);
      expect(await trash.expire(now)).toBe(1);
      expect((await trash.list()).map((e) => e.path)).toEqual(['sub/a.ipynb']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
