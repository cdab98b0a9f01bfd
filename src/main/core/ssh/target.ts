import { BenchtopError } from '../errors';
import type { Logger } from '../log/logger';
import type { SshTarget } from './connection';
import { formatHop, type JumpHop } from './jump';
import { expandProxyCommand } from './proxy-command';
import { resolveSshHost, type SshQuery, type SshResolveOptions } from './resolve';

export interface TargetOptions extends SshResolveOptions {
  /** The Benchtop host id these hops serve (labels, trust hints). */
  hostId: string;
  /** A key the user chose for the host (`--identity`), offered before the config's. */
  identityFile?: string;
  connectTimeoutMs?: number;
  log?: Logger;
}

/** OpenSSH has no fixed limit, but a jump chain this long is a loop in the config. */
const MAX_HOPS = 8;

/**
 * The SshTarget for a destination and, through ProxyJump, for each jump host before it, every hop
 * resolved from ssh_config as `ssh -J` would (each jump host gets its own User, Port, IdentityFile
 * and known_hosts). ProxyJump `a,b` reaches b through a and the destination through b.
 */
export async function sshTargetFor(query: SshQuery, opts: TargetOptions): Promise<SshTarget> {
  return build(query, undefined, opts, 0, opts.hostId);
}

async function build(query: SshQuery, jumpsOverride: JumpHop[] | undefined, opts: TargetOptions, depth: number, label: string): Promise<SshTarget> {
  if (depth > MAX_HOPS) {
    throw new BenchtopError('HOST_INVALID', `Reaching ${opts.hostId} takes more than ${MAX_HOPS} jump hosts; the ProxyJump settings in ${opts.configPath} probably loop.`,
      `Check the ProxyJump lines for ${opts.hostId} and its jump hosts (\`ssh -G ${query.alias}\`).`);
  }
  const resolved = await resolveSshHost(query, opts);
  const identityFiles = depth === 0 && opts.identityFile ? [opts.identityFile, ...resolved.identityFiles.filter((f) => f !== opts.identityFile)] : resolved.identityFiles;
  const [firstKnownHosts, ...otherKnownHosts] = resolved.userKnownHostsFiles;
  const target: SshTarget = {
    label,
    hostId: opts.hostId,
    hostname: resolved.hostname,
    port: resolved.port,
    user: resolved.user,
    identityFiles,
    agentSocket: resolved.agentSocket,
    knownHostsPath: firstKnownHosts,
    extraKnownHostsPaths: [...otherKnownHosts, ...resolved.globalKnownHostsFiles],
    connectTimeoutMs: opts.connectTimeoutMs,
    log: opts.log,
  };
  opts.log?.debug(`resolved ${query.alias} with ${resolved.resolver}`, { hostname: resolved.hostname, port: resolved.port, user: resolved.user, jumps: resolved.jumps.length, proxyCommand: Boolean(resolved.proxyCommand) });
  const jumps = jumpsOverride ?? resolved.jumps;
  if (jumps.length) {
    // The last hop is the one right before this host; the hops before it are its own ProxyJump.
    const previous = jumps[jumps.length - 1];
    const rest = jumps.slice(0, -1);
    target.jump = await build({ alias: previous.host, user: previous.user, port: previous.port }, rest.length ? rest : undefined, opts, depth + 1,
      `the jump host ${formatHop(previous)} (for ${opts.hostId})`);
  } else if (resolved.proxyCommand) {
    target.env = opts.env;
    target.proxyCommand = expandProxyCommand(resolved.proxyCommand, { hostname: resolved.hostname, port: resolved.port, user: resolved.user, alias: query.alias });
  }
  return target;
}
