import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One sshd of the bastion test network (scripts/test-env/bastion.sh). */
export interface BastionHop {
  host: string;
  port: number;
  user: string;
  identityFile: string;
  /** `10.213.9.2 ssh-ed25519 AAAA…`: the hop's real key as a known_hosts line. */
  knownHostsLine: string;
  fingerprint: string;
  /** sshd's log (LogLevel VERBOSE): each connection's source address. */
  sshdLog: string;
}

export interface BastionEnv {
  /** The jump host: reachable from this computer. */
  bastion: BastionHop & { wrongKnownHostsLine: string; innerSideIp: string };
  /** The host behind it: reachable only from the bastion; forwards to the GPU test host's engine. */
  inner: BastionHop & { dockerSocket: string };
}

const ROOT = join(import.meta.dirname, '..', '..');

/** Reads .test-env/bastion.json; fails with the command to run when the bastion was never set up. */
export function bastionEnv(): BastionEnv {
  const path = join(ROOT, '.test-env', 'bastion.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BastionEnv;
  } catch (error) {
    throw new Error(`${path} is missing or unreadable (${(error as Error).message}); run: sudo scripts/test-env/bastion.sh`);
  }
}
