import type { Duplex } from 'node:stream';
import type { ExecOutput, SshConnection } from '../ssh/connection';

/** What the cluster code needs from the login node: commands (some with input) and TCP channels. */
export interface ClusterShell {
  /** The cluster's host id, for messages. */
  label: string;
  /** The account Benchtop logs in as (the job's user). */
  user(): string;
  run(command: string, options?: { stdin?: string; timeoutMs?: number }): Promise<ExecOutput>;
  /** A channel to host:port as the login node sees it (a compute node's Jupyter). */
  openTcp(host: string, port: number): Promise<Duplex>;
}

/** The login node through the host's one verified SSH connection (shared with everything else for that host). */
export function sshClusterShell(label: string, connection: () => SshConnection): ClusterShell {
  return {
    label,
    user: () => connection().target.user,
    openTcp: (host, port) => connection().openTcp(host, port),
    run: (command, options = {}) => connection().exec(command, options.timeoutMs, options.stdin),
  };
}
