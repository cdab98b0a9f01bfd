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
