import { userInfo } from 'node:os';
import type { HostAddRequest } from '../../../shared/contract/hosts';
import type { Clock } from '../clock';
import { BenchtopError } from '../errors';
import type { HostConfig } from '../settings/schema';
import { readSshConfig } from '../ssh/ssh-config';
import { contextEngine } from './engine-endpoints';
import { hostIdFor, parseHostSpec } from './spec';

export interface HostPaths {
  sshConfigPath: string;
  knownHostsPath: string;
  home: string;
}

export function localUserName(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'root';
  }
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
    return { id: hostIdFor(parsed.hostname, parsed.port, 2376), spec, user: '', hostname: parsed.hostname, port: parsed.port, certPath: req.certPath, addedAt };
  }
  if (parsed.kind === 'context') {
    const { endpoint } = contextEngine(parsed.name, paths.home, env);
    const [, user = '', host = endpoint.address, port = '0'] = /^(?:([^@]+)@)?(.+?)(?::(\d+))?$/.exec(endpoint.address) ?? [];
    return { id: hostIdFor(parsed.name, 0, 0), spec, user, hostname: host, port: Number(port), addedAt };
  }
  const fromConfig = await readSshConfig(paths.sshConfigPath, parsed.hostname, paths.home);
  const port = parsed.port ?? fromConfig.port ?? 22;
  const config: HostConfig = {
    id: hostIdFor(parsed.hostname, port, 22),
    spec,
    user: parsed.user ?? fromConfig.user ?? localUserName(env),
    hostname: fromConfig.hostname ?? parsed.hostname,
    port,
    addedAt,
  };
  const identity = req.identityFile ?? fromConfig.identityFiles[0];
  if (identity) config.identityFile = identity;
  if (req.dockerSocket) {
    if (!req.dockerSocket.startsWith('/')) {
      throw new BenchtopError('HOST_INVALID', `The engine socket "${req.dockerSocket}" is not an absolute path.`, 'Give the socket’s full path on the host, e.g. /var/run/docker.sock.');
    }
    config.dockerSocket = req.dockerSocket;
  }
  return config;
}
