import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The test GPU host that scripts/test-env/ssh-host.sh runs in the bt-gpuhost network namespace. */
export interface SshHostEnv {
  host: string;
  port: number;
  /** The same sshd on a second port (known_hosts `[host]:port` entries). */
  altPort: number;
  user: string;
  /** The key sshd accepts. */
  identityFile: string;
  /** A valid key sshd does not accept. */
  unauthorizedIdentityFile: string;
  /** `10.213.7.2 ssh-ed25519 AAAA…`: the host's real key, as a known_hosts line. */
  knownHostsLine: string;
  /** The same host name with a key the host does not have (the changed-key test). */
  wrongKnownHostsLine: string;
  hostKeyFingerprint: string;
  /** The host's second key (ecdsa-sha2-nistp256), as a known_hosts line, and its fingerprint. */
  ecdsaKnownHostsLine: string;
  ecdsaFingerprint: string;
  /** The namespace engine's socket, as seen on the SSH host. */
  dockerSocket: string;
  /** sshd's log (LogLevel DEBUG1): one "Accepted publickey" line per connection. */
  sshdLog: string;
  namespace: string;
  hostSideIp: string;
  /** Every account on the box, `btgpu` (the `user` above) first, then the analysts btalice and btbob. */
  accounts: SshAccount[];
  /** The simulated GPUs (see test/support/ssh-host-gpus.ts). */
  gpus: SshHostGpus;
}

/** One login on the test host, with the key that logs in as it (and as no one else). */
export interface SshAccount {
  user: string;
  identityFile: string;
}

export interface SshHostGpus {
  count: number;
  /** The JSON the host's `nvidia-smi` stand-in prints from; tests edit it (setGpuState). */
  stateFile: string;
  /** Four idle A100s, nothing running: what stateFile starts as. */
  defaultStateFile: string;
  /** Holds `nvidia-smi` and `nvidia-container-runtime-hook` (first on SSH sessions' and dockerd's PATH). */
  binDir: string;
}

const ROOT = join(import.meta.dirname, '..', '..');

/** Reads .test-env/ssh-host.json; fails with the command to run when the host was never set up. */
export function sshHostEnv(): SshHostEnv {
  const path = join(ROOT, '.test-env', 'ssh-host.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SshHostEnv;
  } catch (error) {
    throw new Error(`${path} is missing or unreadable (${(error as Error).message}); run: sudo scripts/test-env/ssh-host.sh`);
  }
}

/** The test host's two analysts (not `btgpu`): two people sharing the box. */
export function analystAccounts(ssh: SshHostEnv = sshHostEnv()): [SshAccount, SshAccount] {
  const analysts = ssh.accounts.filter((a) => a.user !== ssh.user);
  if (analysts.length < 2) throw new Error('the test host has fewer than two analyst accounts; rerun: sudo scripts/test-env/ssh-host.sh');
  return [analysts[0], analysts[1]];
}
