import { userInfo } from 'node:os';
import type { HostAddRequest } from '../../../shared/contract/hosts';
import type { Clock } from '../clock';
import { BenchtopError } from '../errors';
import type { HostConfig } from '../settings/schema';
import { resolveSshHost, type SshQuery } from '../ssh/resolve';
import { contextEngine } from './engine-endpoints';
import { hostIdFor, hostKindOf, isSlurmSpec, isTlsEngine, parseHostSpec } from './spec';

export interface HostPaths {
  sshConfigPath: string;
  knownHostsPath: string;
  home: string;
  /** The ssh binary for `ssh -G` (found on PATH when undefined); null: Benchtop's own ssh_config parser. */
  ssh?: string | null;
}


export function localUserName(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'root';
  }
}

/**
 * What to resolve through ssh_config for a stored SSH host: the alias (or name) the user typed,
 * with the user and port they typed overriding the config, as `ssh -l user -p port alias` does.
 */
export function sshQueryOf(host: HostConfig): SshQuery {
  if (hostKindOf(host.spec) === 'ssh') {
    const parsed = parseHostSpec(host.spec);
    if (parsed.kind === 'ssh') return { alias: parsed.hostname, user: parsed.user, port: parsed.port };
  }
  // A Docker context's ssh:// endpoint names the machine itself.
  return { alias: host.hostname, user: host.user || undefined, port: host.port || undefined };
}

/** Whether a stored key path is one of the names ssh(1) tries anyway (not worth storing). */
function isDefaultIdentity(path: string, home: string): boolean {
  return ['id_rsa', 'id_ecdsa', 'id_ed25519'].some((name) => path === `${home}/.ssh/${name}`);
}

/**
 * Turns what the user typed into the HostConfig that is stored: an alias is resolved through
 * ~/.ssh/config (HostName, Port, User, IdentityFile), as `ssh alias` would, so the stored host shows
 * where it really goes.
 */
export async function hostConfigFor(req: HostAddRequest, paths: HostPaths, env: NodeJS.ProcessEnv, clock: Clock): Promise<HostConfig> {
  const parsed = parseHostSpec(req.spec);
  const addedAt = new Date(clock.now()).toISOString();
  const spec = req.spec.trim();
  if (parsed.kind === 'tcp') {
    const config: HostConfig = { id: hostIdFor(parsed.hostname, parsed.port, 2376), spec, user: '', hostname: parsed.hostname, port: parsed.port, certPath: req.certPath, addedAt };
    if (!isTlsEngine(spec, req.certPath)) {
      if (!req.insecure) {
        throw new BenchtopError('HOST_INSECURE', `${spec} is a Docker engine without TLS: anyone on the network path can read its traffic and run containers as root there.`,
          'Give the engine TLS (the host’s certificate folder with --cert-path, as `docker --tlsverify` uses), reach it over SSH (user@host), or add it with --insecure if this network is yours alone.');
      }
      config.insecure = true;
    }
    return config;
  }
  if (parsed.kind === 'context') {
    const { endpoint } = contextEngine(parsed.name, paths.home, env);
    const [, user = '', host = endpoint.address, port = '0'] = /^(?:([^@]+)@)?(.+?)(?::(\d+))?$/.exec(endpoint.address) ?? [];
    return { id: hostIdFor(parsed.name, 0, 0), spec, user, hostname: host, port: Number(port), addedAt };
  }
  const resolved = await resolveSshHost({ alias: parsed.hostname, user: parsed.user, port: parsed.port },
    { configPath: paths.sshConfigPath, home: paths.home, env, knownHostsPath: paths.knownHostsPath, ssh: paths.ssh });
  const config: HostConfig = {
    id: hostIdFor(parsed.hostname, resolved.port, 22),
    spec,
    user: resolved.user || localUserName(env),
    hostname: resolved.hostname,
    port: resolved.port,
    addedAt,
  };
  // The config's keys are read again on every connect; only a key named for this host is shown.
  const identity = req.identityFile ?? resolved.identityFiles.find((f) => !isDefaultIdentity(f, paths.home));
  if (identity) config.identityFile = identity;
  if (isSlurmSpec(spec)) {
    config.kind = 'slurm';
    if (req.slurm) config.slurm = Object.fromEntries(Object.entries(req.slurm).filter(([, v]) => v !== undefined && v !== ''));
  }
  if (req.dockerSocket) {
    if (!req.dockerSocket.startsWith('/')) {
      throw new BenchtopError('HOST_INVALID', `The engine socket "${req.dockerSocket}" is not an absolute path.`, 'Give the socket’s full path on the host, e.g. /var/run/docker.sock.');
    }
    config.dockerSocket = req.dockerSocket;
  }
  return config;
}
