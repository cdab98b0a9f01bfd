import { readdir, readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';

/**
 * What ssh_config says about one destination, in the raw form `ssh -G` prints it: first value wins,
 * IdentityFile accumulates, tokens (%h, %r…) and `~` are not expanded yet (see resolve.ts).
 */
export interface SshConfigHost {
  hostname?: string;
  port?: number;
  user?: string;
  identityFiles: string[];
  identityAgent?: string;
  /** `[user@]host[:port]` hops, comma-separated, or `none`. */
  proxyJump?: string;
  proxyCommand?: string;
  userKnownHostsFiles?: string[];
  globalKnownHostsFiles?: string[];
  strictHostKeyChecking?: string;
  /** Whether any `Host` block other than a catch-all `*` named this alias. */
  matchedAlias: boolean;
}

/** One condition a block's options depend on: a `Host` pattern list or a `Match` criteria list. */
type Test = { kind: 'host'; patterns: string[] } | { kind: 'match'; criteria: string[] };

/** Options that apply when every test holds (an Include inside a block adds the block's tests). */
export interface Block {
  tests: Test[];
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

/** Splits an argument list the way ssh_config does: whitespace-separated, "double quotes" group. */
function words(value: string): string[] {
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/** Parses one file's text; `Include` stays an option (resolved by loadSshConfig, which reads files). */
export function parseSshConfig(text: string): Block[] {
  // Options before the first Host line apply to every host.
  const blocks: Block[] = [{ tests: [], options: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1].toLowerCase();
    const value = match[2].trim();
    if (keyword === 'host') {
      blocks.push({ tests: [{ kind: 'host', patterns: words(value) }], options: [] });
    } else if (keyword === 'match') {
      blocks.push({ tests: [{ kind: 'match', criteria: words(value) }], options: [] });
    } else {
      blocks[blocks.length - 1].options.push([keyword, keyword === 'proxycommand' ? value : unquote(value)]);
    }
  }
  return blocks;
}

/** ssh_config(5): Include allows up to this nesting, as readconf.c does. */
const MAX_INCLUDE_DEPTH = 16;

async function includedFiles(pattern: string, userConfigDir: string | undefined, home: string): Promise<string[]> {
  let path = pattern.startsWith('~/') ? join(home, pattern.slice(2)) : pattern;
  // Relative paths are in ~/.ssh for a user config, in /etc/ssh for the system one.
  if (!isAbsolute(path)) path = join(userConfigDir ?? '/etc/ssh', path);
  const name = basename(path);
  if (!/[*?]/.test(name)) return [path];
  // Wildcards are expanded in the file name only (the common `config.d/*`), sorted as glob(3) sorts.
  const dir = dirname(path);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const re = globToRegExp(name);
  return names.filter((n) => re.test(n) && !n.startsWith('.')).sort().map((n) => join(dir, n));
}

/**
 * Reads a config file and every file it Includes (globs, nested, conditional: an Include inside a
 * Host or Match block applies only when that block does). A missing top-level file is an empty
 * config; a missing included file is skipped, as ssh(1) does.
 */
export async function loadSshConfig(path: string, home = homedir()): Promise<Block[]> {
  const userConfigDir = join(home, '.ssh');
  const read = async (file: string, inherited: Test[], depth: number): Promise<Block[]> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: Block[] = [];
    for (const block of parseSshConfig(text)) {
      const tests = [...inherited, ...block.tests];
      let current: Block = { tests, options: [] };
      out.push(current);
      for (const [keyword, value] of block.options) {
        if (keyword !== 'include') {
          current.options.push([keyword, value]);
          continue;
        }
        if (depth >= MAX_INCLUDE_DEPTH) continue;
        for (const pattern of words(value)) {
          for (const included of await includedFiles(pattern, userConfigDir, home)) out.push(...(await read(included, tests, depth + 1)));
        }
        // Options after the Include still belong to the enclosing block.
        current = { tests, options: [] };
        out.push(current);
      }
    }
    return out;
  };
  return read(path, [], 0);
}

/** What a Match line is evaluated against. */
interface MatchState {
  alias: string;
  hostname: string;
  user: string;
  localUser: string;
}

/**
 * `Match` criteria: all, host, originalhost, user, localuser (with `!` negation), all of which must
 * hold. `exec` would run a command and `canonical`/`final` need a second pass this fallback parser
 * does not make: such blocks do not apply (ssh -G, used whenever ssh exists, evaluates them).
 */
function matchHolds(criteria: string[], s: MatchState): boolean {
  for (let i = 0; i < criteria.length; i++) {
    const raw = criteria[i].toLowerCase();
    const negated = raw.startsWith('!');
    const name = negated ? raw.slice(1) : raw;
    let holds: boolean;
    if (name === 'all') {
      holds = true;
    } else if (['host', 'originalhost', 'user', 'localuser'].includes(name)) {
      const arg = (criteria[++i] ?? '').split(',');
      const subject = name === 'host' ? s.hostname : name === 'originalhost' ? s.alias : name === 'user' ? s.user : s.localUser;
      holds = hostPatternsMatch(arg, subject);
    } else {
      if (name === 'exec' || name === 'localnetwork' || name === 'tagged') i++;
      holds = false;
    }
    if (holds === negated) return false;
  }
  return true;
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

/** Resolves an alias over parsed blocks the way `ssh -G alias` does for the options Benchtop uses. */
export function resolveSshConfig(blocks: Block[], alias: string, home = homedir(), given: { user?: string; port?: number } = {}): SshConfigHost {
  const found: SshConfigHost = { identityFiles: [], matchedAlias: false };
  const state = (): MatchState => ({ alias, hostname: found.hostname ?? alias, user: given.user ?? found.user ?? localUser(), localUser: localUser() });
  for (const block of blocks) {
    const applies = block.tests.every((t) => (t.kind === 'host' ? hostPatternsMatch(t.patterns, alias) : matchHolds(t.criteria, state())));
    if (!applies) continue;
    if (block.tests.some((t) => t.kind === 'host' && !t.patterns.every((p) => p === '*'))) found.matchedAlias = true;
    for (const [keyword, value] of block.options) applyOption(found, keyword, value);
  }
  if (found.hostname !== undefined) found.hostname = found.hostname.replace(/%h/g, alias);
  if (given.user !== undefined) found.user = given.user;
  if (given.port !== undefined) found.port = given.port;
  found.identityFiles = found.identityFiles.map((p) => expandPath(p, { home, hostname: found.hostname ?? alias, user: found.user ?? '' }));
  return found;
}

/** First value wins, except IdentityFile (all are offered); ProxyJump and ProxyCommand exclude each other. */
function applyOption(found: SshConfigHost, keyword: string, value: string): void {
  switch (keyword) {
    case 'hostname':
      found.hostname ??= value;
      break;
    case 'port':
      if (found.port === undefined && /^\d+$/.test(value)) found.port = Number(value);
      break;
    case 'user':
      found.user ??= value;
      break;
    case 'identityfile':
      if (value.toLowerCase() !== 'none') found.identityFiles.push(value);
      break;
    case 'identityagent':
      found.identityAgent ??= value;
      break;
    case 'proxyjump':
      if (found.proxyJump === undefined && found.proxyCommand === undefined) found.proxyJump = value;
      break;
    case 'proxycommand':
      if (found.proxyJump === undefined && found.proxyCommand === undefined) found.proxyCommand = value;
      break;
    case 'userknownhostsfile':
      found.userKnownHostsFiles ??= words(value);
      break;
    case 'globalknownhostsfile':
      found.globalKnownHostsFiles ??= words(value);
      break;
    case 'stricthostkeychecking':
      found.strictHostKeyChecking ??= value.toLowerCase();
      break;
    default:
      break;
  }
}

/** Expands the tokens a path option may hold: `~`, `%d` (home), `%h` (host name), `%r` (user), `%u` (local user), `%%`. */
export function expandPath(path: string, ctx: { home: string; hostname: string; user: string }): string {
  let out = path.replace(/%([%dhru])/g, (_, token: string) =>
    token === '%' ? '%' : token === 'd' ? ctx.home : token === 'h' ? ctx.hostname : token === 'r' ? ctx.user : localUser());
  if (out === '~') out = ctx.home;
  else if (out.startsWith('~/')) out = join(ctx.home, out.slice(2));
  return isAbsolute(out) ? out : join(ctx.home, '.ssh', out);
}

/** The fallback resolver: reads the config (and its Includes) and resolves one alias. */
export async function readSshConfig(path: string, alias: string, home = homedir(), given: { user?: string; port?: number } = {}): Promise<SshConfigHost> {
  return resolveSshConfig(await loadSshConfig(path, home), alias, home, given);
}
