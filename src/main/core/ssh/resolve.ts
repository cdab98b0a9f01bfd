import { userInfo } from 'node:os';
import { join } from 'node:path';
import { BenchtopError } from '../errors';
import { parseProxyJump, type JumpHop } from './jump';
import { expandPath, readSshConfig, type SshConfigHost } from './ssh-config';
import { findSsh, runSshG } from './ssh-g';

/** Where to look and what to run when resolving a destination. */
export interface SshResolveOptions {
  /** The ssh_config Benchtop reads (~/.ssh/config, or BENCHTOP_SSH_CONFIG). */
  configPath: string;
  home: string;
  env: NodeJS.ProcessEnv;
  /** Benchtop's known_hosts: used (and written) when the config names no UserKnownHostsFile. */
  knownHostsPath: string;
  /**
   * The ssh binary for `ssh -G`; found on PATH when undefined; null uses the built-in parser
   * (also used wherever ssh does not exist).
   */
  ssh?: string | null;
}

/** A destination as OpenSSH would connect to it. */
export interface ResolvedSshHost {
  alias: string;
  hostname: string;
  port: number;
  user: string;
  /** Private keys to offer, in order; expanded; missing ones are skipped when connecting. */
  identityFiles: string[];
  /** The agent socket (IdentityAgent, else SSH_AUTH_SOCK); undefined for none. */
  agentSocket?: string;
  /** ProxyJump hops, first hop first. */
  jumps: JumpHop[];
  proxyCommand?: string;
  /** Trust is written to the first; all are read. */
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  /** Which resolver answered: `ssh -G` or Benchtop's own ssh_config parser. */
  resolver: 'ssh -G' | 'parser';
  /** Built-in parser only: whether a Host block other than `*` named the alias. */
  matchedAlias: boolean;
}

export interface SshQuery {
  alias: string;
  user?: string;
  port?: number;
}

/**
 * The keys tried when the config names none: ssh(1)'s defaults less the kinds ssh2 cannot use
 * (security keys, XMSS, DSA), modern ones first (Benchtop's order since its first release).
 */
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
/** How `ssh -G` lists its defaults when no IdentityFile is configured. */
const SSH_DEFAULT_IDENTITY = /^~\/\.ssh\/id_(rsa|ecdsa|ecdsa_sk|ed25519|ed25519_sk|xmss|dsa)$/;
const DEFAULT_GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

/** The home ssh(1) expands `~` with: the passwd entry, not $HOME. */
function passwdHome(fallback: string): string {
  try {
    return userInfo().homedir || fallback;
  } catch {
    return fallback;
  }
}

function defaultConfigPath(home: string): string {
  return join(home, '.ssh', 'config');
}

/**
 * Resolves a destination the way OpenSSH does: `ssh -G` where ssh exists (Include, Match, Host,
 * /etc/ssh/ssh_config and every default, exactly as the user's terminal would), Benchtop's own
 * parser otherwise.
 */
export async function resolveSshHost(query: SshQuery, opts: SshResolveOptions): Promise<ResolvedSshHost> {
  const ssh = opts.ssh === undefined ? findSsh(opts.env) : opts.ssh;
  let raw: SshConfigHost;
  let resolver: ResolvedSshHost['resolver'];
  if (ssh) {
    // `-F` only when Benchtop was pointed at another config: without it ssh also reads the system one.
    const configFile = opts.configPath === defaultConfigPath(passwdHome(opts.home)) ? undefined : opts.configPath;
    try {
      raw = await runSshG(ssh, { ...query, configFile }, opts.env);
    } catch (error) {
      throw new BenchtopError('HOST_INVALID', `OpenSSH cannot resolve "${query.alias}": ${(error as Error).message}`,
        `Fix the line ssh names in ${opts.configPath} (or a file it Includes); \`ssh -G ${query.alias}\` shows what ssh makes of it.`, { cause: error });
    }
    resolver = 'ssh -G';
  } else {
    raw = await readSshConfig(opts.configPath, query.alias, opts.home, query);
    resolver = 'parser';
  }
  return finish(query, raw, resolver, opts);
}

function finish(query: SshQuery, raw: SshConfigHost, resolver: ResolvedSshHost['resolver'], opts: SshResolveOptions): ResolvedSshHost {
  const hostname = raw.hostname ?? query.alias;
  const user = query.user ?? raw.user ?? localUser(opts.env);
  const port = query.port ?? raw.port ?? 22;
  const ctx = { home: opts.home, hostname, user };
  const noneConfigured = raw.identityFiles.every((p) => SSH_DEFAULT_IDENTITY.test(p));
  const configured = noneConfigured ? DEFAULT_IDENTITIES.map((n) => `~/.ssh/${n}`) : raw.identityFiles;
  const identityFiles = configured.map((p) => expandPath(p, ctx));
  const jump = parseProxyJump(raw.proxyJump);
  if (jump.invalid !== undefined) {
    throw new BenchtopError('HOST_INVALID', `The ProxyJump of "${query.alias}" has a hop Benchtop cannot read: "${jump.invalid}".`,
      `Write each hop as [user@]host[:port], separated by commas, in ${opts.configPath}.`);
  }
  return {
    alias: query.alias,
    hostname,
    port,
    user,
    identityFiles: [...new Set(identityFiles)],
    agentSocket: agentSocketOf(raw.identityAgent, opts.env, ctx),
    jumps: jump.hops,
    proxyCommand: raw.proxyCommand && raw.proxyCommand.toLowerCase() !== 'none' ? raw.proxyCommand : undefined,
    userKnownHostsFiles: userKnownHosts(raw.userKnownHostsFiles, opts, ctx),
    globalKnownHostsFiles: (raw.globalKnownHostsFiles ?? DEFAULT_GLOBAL_KNOWN_HOSTS).filter((f) => f.toLowerCase() !== 'none').map((p) => expandPath(p, ctx)),
    resolver,
    matchedAlias: raw.matchedAlias,
  };
}

/** IdentityAgent: `none`, `SSH_AUTH_SOCK` (the variable), `$VAR`, or a socket path; unset means SSH_AUTH_SOCK. */
function agentSocketOf(value: string | undefined, env: NodeJS.ProcessEnv, ctx: { home: string; hostname: string; user: string }): string | undefined {
  if (value === undefined || value === 'SSH_AUTH_SOCK') return env.SSH_AUTH_SOCK || undefined;
  if (value.toLowerCase() === 'none') return undefined;
  if (value.startsWith('$')) return env[value.slice(1)] || undefined;
  return expandPath(value, ctx);
}

/**
 * The known_hosts files to read. When the config leaves UserKnownHostsFile at ssh's default,
 * Benchtop's own path (which is ~/.ssh/known_hosts unless BENCHTOP_KNOWN_HOSTS says otherwise)
 * comes first, so trust is written where Benchtop has always written it.
 */
function userKnownHosts(configured: string[] | undefined, opts: SshResolveOptions, ctx: { home: string; hostname: string; user: string }): string[] {
  const pw = passwdHome(opts.home);
  const defaults = [join(pw, '.ssh', 'known_hosts'), join(pw, '.ssh', 'known_hosts2')];
  const tildeDefaults = ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
  const isDefault = !configured || configured.join(' ') === defaults.join(' ') || configured.join(' ') === tildeDefaults.join(' ');
  if (isDefault) return [opts.knownHostsPath];
  const files = configured.filter((f) => f.toLowerCase() !== 'none').map((p) => expandPath(p, ctx));
  // `none` would leave trust nowhere to go; Benchtop keeps its own file then.
  return files.length ? files : [opts.knownHostsPath];
}

function localUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'root';
  }
}
