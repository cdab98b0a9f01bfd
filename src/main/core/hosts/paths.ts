import { homedir } from 'node:os';
import { join } from 'node:path';
import type { HostPaths } from './host-config';

/**
 * Where the user's SSH files are: ~/.ssh/config and ~/.ssh/known_hosts, the files ssh(1) uses, so a
 * host trusted in Benchtop is trusted in a terminal too. BENCHTOP_SSH_CONFIG / BENCHTOP_KNOWN_HOSTS
 * point elsewhere (tests, or a team that keeps Benchtop's hosts apart).
 */
export function hostPathsFrom(env: NodeJS.ProcessEnv): HostPaths {
  const home = env.HOME || homedir();
  return {
    home,
    sshConfigPath: env.BENCHTOP_SSH_CONFIG || join(home, '.ssh', 'config'),
    knownHostsPath: env.BENCHTOP_KNOWN_HOSTS || join(home, '.ssh', 'known_hosts'),
  };
}
