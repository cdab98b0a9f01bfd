import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINK_LENGTH, parseLink } from '../../src/main/core/links/parse';
import { BenchtopError } from '../../src/main/core/errors';

function refusal(input: unknown): BenchtopError {
  try {
    parseLink(input);
  } catch (error) {
    expect(error).toBeInstanceOf(BenchtopError);
    return error as BenchtopError;
  }
  throw new Error(`accepted: ${String(input)}`);
}

describe('benchtop:// link parser', () => {
  it('reads an open link: repo, ref, and the folder name from the repository', () => {
    expect(parseLink('benchtop://open?repo=https://git.example.com/team/churn-model.git&ref=main')).toEqual({
      action: 'open', repo: 'https://git.example.com/team/churn-model.git', ref: 'main', name: 'churn-model',
    });
    expect(parseLink('benchtop://open/?repo=https%3A%2F%2Fgithub.com%2Facme%2Fproj&name=my-proj')).toEqual({
      action: 'open', repo: 'https://github.com/acme/proj', name: 'my-proj',
    });
    expect(parseLink('benchtop://open?repo=http://127.0.0.1:8087/basic.git&ref=release/2026.11')).toMatchObject({ repo: 'http://127.0.0.1:8087/basic.git', ref: 'release/2026.11' });
  });

  it('reads a join link', () => {
    expect(parseLink('benchtop://join?team=https://example.com/team.json')).toEqual({ action: 'join', team: 'https://example.com/team.json' });
  });

  it.each([
    ['benchtop://open?repo=file:///etc', /must be an https/],
    ['benchtop://open?repo=ext::sh -c touch% /tmp/pwned', /must be an https/],
    ['benchtop://open?repo=--upload-pack=touch /tmp/pwned', /must be an https/],
    ['benchtop://open?repo=ssh://git@example.com/x.git', /must be an https/],
    ['benchtop://open?repo=git@example.com:team/x.git', /must be an https/],
    ['benchtop://open?repo=http://example.com/x.git', /plain http/],
    ['benchtop://open?repo=https://user:secret@example.com/x.git', /credentials/],
    ['benchtop://open?repo=https://example.com/x.git&ref=--upload-pack=evil', /"ref" must be a branch/],
    ['benchtop://open?repo=https://example.com/x.git&ref=a/../../b', /not a valid git branch/],
    ['benchtop://open?repo=https://example.com/x.git&name=../../.ssh', /not a safe folder name/],
    ['benchtop://open?repo=https://example.com/..', /\.\. path segment|not a safe folder name/],
    ['benchtop://open?repo=https://example.com/x.git&upload-pack=x', /not a parameter of open links/],
    ['benchtop://open?repo=https://example.com/a.git&repo=https://example.com/b.git', /given twice/],
    ['benchtop://open?repo=https://example.com/x.git%0a--upload-pack', /control/],
    ['benchtop://open?repo=https://example.com/x.git\u202e', /control or invisible/],
    ['benchtop://open?repo=https://example.com/x.git#frag', /#fragment/],
    ['benchtop://run?cmd=rm', /not something a link can do/],
    ['benchtop://open/etc/passwd?repo=https://example.com/x.git', /path after the action/],
    ['benchtop://open', /needs repo=/],
    ['benchtop://join?team=http://evil.example.com/team.json', /plain http/],
    ['https://example.com/x.git', /does not start with benchtop:\/\//],
    [`benchtop://open?repo=https://example.com/${'a'.repeat(MAX_LINK_LENGTH)}`, /longer than/],
  ])('refuses %s', (link, why) => {
    const error = refusal(link);
    expect(error.code).toBe('LINK_INVALID');
    expect(error.message).toMatch(why);
    expect(error.hint).toBeTruthy();
  });

  it('refuses anything that is not text', () => {
    expect(refusal(42).code).toBe('LINK_INVALID');
    expect(refusal(null).code).toBe('LINK_INVALID');
  });

  // Property: any input either is refused with LINK_INVALID, or parses to values that can never act
  // as a git option, a shell word or a path outside the chosen folder.
  const check = (input: string): void => {
    let link;
    try {
      link = parseLink(input);
    } catch (error) {
      expect(error).toBeInstanceOf(BenchtopError);
      expect((error as BenchtopError).code).toBe('LINK_INVALID');
      return;
    }
    if (link.action === 'join') {
      expect(link.team).toMatch(/^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/);
      return;
    }
    expect(link.repo).toMatch(/^https:\/\/[a-z0-9.-]+(:\d+)?\/|^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//);
    expect(link.repo).not.toMatch(/[\s@#?\\]|\.\.|::/);
    expect(link.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    expect(link.name).not.toMatch(/^\.\.?$/);
    if (link.ref !== undefined) {
      expect(link.ref).toMatch(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/);
      expect(link.ref).not.toContain('..');
    }
  };

  it('never accepts anything unsafe (fuzzed: arbitrary strings)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => check(s)), { numRuns: 3000, seed: 13 });
  });

  it('never accepts anything unsafe (fuzzed: link-shaped strings with hostile pieces)', () => {
    const piece = fc.oneof(
      fc.constantFrom('https://', 'http://', 'file://', 'ext::', 'ssh://', '--upload-pack=', '-u', '127.0.0.1', 'localhost', 'example.com', '[::1]',
        '/', '..', '.', '%2e%2e', '%2F', '%0a', '%00', '\u0000', '\n', '\u202e', '@', ':', '#', '?', '&', '=', 'repo=', 'ref=', 'name=', 'team=', '.git', ' ', '\\', ';', '$(id)', '`id`'),
      fc.string({ maxLength: 8 }),
    );
    const link = fc.tuple(fc.constantFrom('benchtop://open?', 'benchtop://join?', 'benchtop://open/?', 'BENCHTOP://OPEN?'), fc.array(piece, { maxLength: 24 }))
      .map(([head, parts]) => head + parts.join(''));
    fc.assert(fc.property(link, (s) => check(s)), { numRuns: 5000, seed: 1313 });
  });
});
