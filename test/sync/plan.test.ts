import { describe, expect, it } from 'vitest';
import { conflictCopyName } from '../../src/main/core/sync/conflict-name';
import { planSync } from '../../src/main/core/sync/plan';
import type { Base, Entry, Tree } from '../../src/main/core/sync/tree';

const file = (sha: string): Entry => ({ type: 'file', size: sha.length, mtime: '1', mode: 0o644, sha256: sha });
const dir: Entry = { type: 'dir' };
const tree = (entries: Record<string, Entry>): Tree => new Map(Object.entries(entries));
const base = (entries: Record<string, Entry>): Base =>
  new Map(Object.entries(entries).map(([k, e]) => [k, e.type === 'dir' ? { type: 'dir' } : { type: 'file', sha256: e.sha256 }]));
const now = new Date(2026, 10, 23, 14, 12);
const plan = (l: Record<string, Entry>, r: Record<string, Entry>, b: Record<string, Entry>) =>
  planSync({ local: tree(l), remote: tree(r), base: base(b), targetName: 'gpu-box', now });

// The three-way decision table, separately from the transfers the integration tests run through.
describe('planning a sync from two scans and the base', () => {
  it('carries a change from whichever side made it, and nothing when neither did', () => {
    const p = plan({ a: file('2'), b: file('1') }, { a: file('1'), b: file('3') }, { a: file('1'), b: file('1') });
    expect(p.upload).toEqual([{ from: 'a', to: 'a' }]);
    expect(p.download).toEqual([{ from: 'b', to: 'b' }]);
    expect(plan({ a: file('1') }, { a: file('1') }, { a: file('1') })).toMatchObject({ upload: [], download: [], agreed: ['a'] });
  });

  it('propagates deletions of files and folders, folders deepest first', () => {
    const b = { x: dir, 'x/y': dir, 'x/y/f': file('1'), g: file('1') };
    const p = plan({ g: file('1') }, b, b);
    expect(p.deleteRemote).toEqual(['x/y/f']);
    expect(p.rmdirRemote).toEqual(['x/y', 'x']);
    const q = plan(b, { x: dir, 'x/y': dir, 'x/y/f': file('1') }, b);
    expect(q.deleteLocal).toEqual(['g']);
  });

  it('lets an edit win over a deletion on the other side', () => {
    expect(plan({}, { a: file('2') }, { a: file('1') }).download).toEqual([{ from: 'a', to: 'a' }]);
    expect(plan({ a: file('2') }, {}, { a: file('1') }).upload).toEqual([{ from: 'a', to: 'a' }]);
  });

  it('keeps both versions of a file changed on both sides, the host one under a dated copy name', () => {
    const p = plan({ 'nb/a.ipynb': file('L') }, { 'nb/a.ipynb': file('R') }, { 'nb/a.ipynb': file('1') });
    const copy = 'nb/a (conflict from gpu-box 2026-11-23 1412).ipynb';
    expect(p.renameRemote).toEqual([{ from: 'nb/a.ipynb', to: copy }]);
    expect(p.upload).toEqual([{ from: 'nb/a.ipynb', to: 'nb/a.ipynb' }]);
    expect(p.download).toEqual([{ from: 'nb/a.ipynb', to: copy }]);
    expect(p.conflicts).toEqual([{ path: 'nb/a.ipynb', copy, reason: `changed on both sides; the gpu-box version was kept as "${copy}"` }]);
  });

  it('treats a first sync with different files on both sides as a conflict, never an overwrite', () => {
    const p = plan({ a: file('L') }, { a: file('R') }, {});
    expect(p.conflicts).toHaveLength(1);
    expect(plan({ a: file('S') }, { a: file('S') }, {})).toMatchObject({ agreed: ['a'], conflicts: [], upload: [] });
  });

  it('leaves a file-versus-folder clash untouched, children included, and says so', () => {
    const p = plan({ a: file('L') }, { a: dir, 'a/x': file('1') }, {});
    expect(p).toMatchObject({ upload: [], download: [], mkdirLocal: [] });
    expect(p.conflicts[0]).toMatchObject({ path: 'a', reason: expect.stringMatching(/file on one side and a folder on the other/) });
  });
});

describe('conflict copy names', () => {
  it('keeps the extension, avoids names in use, and puts the lockfile copy at the root', () => {
    expect(conflictCopyName('analysis.ipynb', 'gpu-box', now, new Set())).toBe('analysis (conflict from gpu-box 2026-11-23 1412).ipynb');
    expect(conflictCopyName('README', 'gpu-box', now, new Set())).toBe('README (conflict from gpu-box 2026-11-23 1412)');
    expect(conflictCopyName('a.ipynb', 'h', now, new Set(['a (conflict from h 2026-11-23 1412).ipynb']))).toBe('a (conflict from h 2026-11-23 1412 2).ipynb');
    expect(conflictCopyName('.benchtop/environment.lock', 'h', now, new Set())).toBe('environment (conflict from h 2026-11-23 1412).lock');
  });
});
