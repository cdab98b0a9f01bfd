import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** What ~/.ssh/config says about one alias; unset fields are left for the caller's defaults. */
export interface SshConfigHost {
  hostname?: string;
  port?: number;
  user?: string;
  identityFiles: string[];
  /** Whether any `Host` block other than a catch-all `*` named this alias. */
  matchedAlias: boolean;
}

interface Block {
  patterns: string[];
  options: [keyword: string, value: string][];
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** ssh_config(5) pattern lists: any positive pattern matches and no `!negated` one does. */
export function hostPatternsMatch(patterns: string[], alias: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (globToRegExp(negated ? pattern.slice(1) : pattern).test(alias)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

export function parseSshConfig(text: string): Block[] {
  // Options before the first Host line apply to every host, like a `Host *` block.
  const blocks: Block[] = [{ patterns: ['*'], options: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1].toLowerCase();
    const value = match[2].trim();
    if (keyword === 'host') {
      blocks.push({ patterns: value.split(/\s+/).map(unquote), options: [] });
    } else if (keyword === 'match') {
      // Match blocks need runtime facts (exec, localuser…); their options never apply here.
      blocks.push({ patterns: [], options: [] });
    } else {
      blocks[blocks.length - 1].options.push([keyword, unquote(value)]);
    }
  }
  return blocks;
}

/** Expands the tokens an IdentityFile may hold: `~`, `%d` (home), `%h` (host name), `%r` (user), `%%`. */
export function expandPath(path: string, ctx: { home: string; hostname: string; user: string }): string {
  let out = path.replace(/%([%dhru])/g, (_, token: string) =>
    token === '%' ? '%' : token === 'd' ? ctx.home : token === 'h' ? ctx.hostname : ctx.user);
  if (out === '~') out = ctx.home;
  else if (out.startsWith('~/')) out = join(ctx.home, out.slice(2));
  return isAbsolute(out) ? out : join(ctx.home, '.ssh', out);
}

/** Resolves an alias the way `ssh -G alias` does for the options Benchtop needs (first value wins). */
export function resolveSshConfig(blocks: Block[], alias: string, home = homedir()): SshConfigHost {
  const found: SshConfigHost = { identityFiles: [], matchedAlias: false };
  const rawIdentities: string[] = [];
  for (const block of blocks) {
    if (!hostPatternsMatch(block.patterns, alias)) continue;
    if (!block.patterns.every((p) => p === '*')) found.matchedAlias = true;
    for (const [keyword, value] of block.options) {
      if (keyword === 'hostname' && found.hostname === undefined) found.hostname = value;
      else if (keyword === 'port' && found.port === undefined && /^\d+$/.test(value)) found.port = Number(value);
      else if (keyword === 'user' && found.user === undefined) found.user = value;
      else if (keyword === 'identityfile' && value.toLowerCase() !== 'none') rawIdentities.push(value);
    }
  }
  const hostname = (found.hostname ?? alias).replace(/%h/g, alias);
  found.hostname = found.hostname === undefined ? undefined : hostname;
  found.identityFiles = rawIdentities.map((p) => expandPath(p, { home, hostname, user: found.user ?? '' }));
  return found;
}

export async function readSshConfig(path: string, alias: string, home = homedir()): Promise<SshConfigHost> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  return resolveSshConfig(parseSshConfig(text), alias, home);
}
