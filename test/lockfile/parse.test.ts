import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { diffPackages, proposeLockfile } from '../../src/main/core/lockfile/diff';
import { canonicalName, lockfileSha256, parseLockfile } from '../../src/main/core/lockfile/parse';

describe('parseLockfile', () => {
  it('reads the analysis image\'s real lockfile', async () => {
    const text = await readFile(new URL('../../images/analysis/environment.lock', import.meta.url), 'utf8');
    const packages = parseLockfile(text);
    expect(packages.length).toBeGreaterThan(50);
    expect(packages.find((p) => p.key === 'anyio')).toMatchObject({ name: 'anyio', version: '4.9.0', line: 5 });
  });

  it('reads comments, blank lines, extras, markers, direct URLs and pip-compile hashes', () => {
    const text = [
      '# header',
      '',
      'Jinja2==3.1.6  # via notebook',
      'typing_extensions===4.14.0',
      'requests[socks]==2.32.3 ; python_version >= "3.8"',
      'mypkg @ file:///tmp/mypkg-1.0-py3-none-any.whl',
      '--index-url https://pypi.org/simple',
      'numpy==2.2.6 \\',
      '    --hash=sha256:aaaa \\',
      '    --hash=sha256:bbbb',
      'zope.interface==7.2',
    ].join('\n');
    expect(parseLockfile(text).map((p) => [p.name, p.key, p.version, p.line])).toEqual([
      ['Jinja2', 'jinja2', '3.1.6', 3],
      ['typing_extensions', 'typing-extensions', '4.14.0', 4],
      ['requests', 'requests', '2.32.3', 5],
      ['mypkg', 'mypkg', 'file:///tmp/mypkg-1.0-py3-none-any.whl', 6],
      ['numpy', 'numpy', '2.2.6', 8],
      ['zope.interface', 'zope-interface', '7.2', 11],
    ]);
  });

  it.each([
    ['anyio==4.9.0\nthis is not a package line\n', 2, 'is not a "name==version" line'],
    ['anyio>=4.0\n', 1, 'is not a "name==version" line'],
    ['anyio==4.9.0\n\nANYIO==4.8.0\n', 3, 'pinned twice (also on line 1)'],
    ['-e git+https://example.com/x.git#egg=x\n', 1, 'editable install'],
    ['<html><body>404</body></html>\n', 1, 'is not a "name==version" line'],
  ])('refuses garbage with LOCKFILE_INVALID and its line number (%#)', (text, line, problem) => {
    let error: { code?: string; message?: string; hint?: string } = {};
    try {
      parseLockfile(text, 'environment.lock');
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.code).toBe('LOCKFILE_INVALID');
    expect(error.message).toContain(`environment.lock:${line}:`);
    expect(error.message).toContain(problem);
    expect(error.hint).toBeTruthy();
  });

  it('hashes the bytes as sha256sum does', () => {
    expect(lockfileSha256('a==1\n')).toBe(createHash('sha256').update('a==1\n').digest('hex'));
    expect(lockfileSha256('a==1\n')).toHaveLength(64);
  });

  it('normalizes names as PEP 503 says', () => {
    expect(canonicalName('Zope.Interface')).toBe('zope-interface');
    expect(canonicalName('typing__extensions')).toBe('typing-extensions');
  });
});

describe('package diffs', () => {
  const locked = parseLockfile('# made by pip\n# keep sorted\nanyio==4.9.0\nJinja2==3.1.6\nsix==1.17.0\n');
  const running = parseLockfile('anyio==4.9.0\njinja2==3.1.5\ncowsay==6.1\n');

  it('lists added, removed and changed packages, matching names PEP 503-style', () => {
    expect(diffPackages(locked, running)).toEqual({
      added: [{ name: 'cowsay', to: '6.1' }],
      removed: [{ name: 'six', from: '1.17.0' }],
      changed: [{ name: 'jinja2', from: '3.1.6', to: '3.1.5' }],
    });
    expect(diffPackages(locked, locked)).toEqual({ added: [], removed: [], changed: [] });
  });

  it('proposes a sorted lockfile with the original header', () => {
    expect(proposeLockfile('# made by pip\n# keep sorted\nanyio==4.9.0\n', running)).toBe('# made by pip\n# keep sorted\nanyio==4.9.0\ncowsay==6.1\njinja2==3.1.5\n');
  });
});
