/**
 * The installers register benchtop:// with the OS: electron-builder's `protocols` (macOS Info.plist,
 * the Windows installer's registry keys, and the Linux desktop entry's MimeType
 * x-scheme-handler/benchtop, which electron-builder derives from it). Checked on the config text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { linksIn } from '../../src/main/links-argv';

const config = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');

describe('benchtop:// registration', () => {
  it('the installers declare the benchtop scheme', () => {
    expect(config).toMatch(/^protocols:\n {2}- name: Benchtop link\n {4}schemes: \[benchtop\]$/m);
  });

  it('the config has each top-level key once (electron-builder refuses a duplicated key)', () => {
    const keys = config.split('\n').filter((l) => /^[A-Za-z]+:/.test(l)).map((l) => l.split(':')[0]);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('finds the links among a second start\'s arguments, nothing else', () => {
    expect(linksIn(['/opt/Benchtop/benchtop-app', '--no-sandbox', 'BENCHTOP://open?repo=https://x/y.git', 'benchtop:/nope', 'https://x'])).toEqual(['BENCHTOP://open?repo=https://x/y.git']);
  });
});
