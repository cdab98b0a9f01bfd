import type { Duplex } from 'node:stream';
import { BenchtopError } from '../errors';
import type { ExecOutput, SshConnection } from '../ssh/connection';
import { withTimeout } from '../timeout';

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
    async run(command, options = {}) {
      const conn = connection();
      if (options.stdin === undefined) return conn.exec(command, options.timeoutMs);
      const client = await conn.client();
      const run = new Promise<ExecOutput>((resolve, reject) => {
        client.exec(command, (error, channel) => {
          if (error) {
            reject(new BenchtopError('HOST_UNREACHABLE', `${label} refused to run a command: ${error.message}`, 'Check that the account may run commands (no forced command in authorized_keys).'));
            return;
          }
          const out: Buffer[] = [];
          const err: Buffer[] = [];
          let exitCode: number | null = null;
          channel.on('data', (chunk: Buffer) => out.push(chunk));
          channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
          channel.on('exit', (code: number | null) => {
            exitCode = typeof code === 'number' ? code : null;
          });
          channel.on('close', () => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode }));
          channel.end(options.stdin);
        });
      });
      const ms = options.timeoutMs ?? 30_000;
      return withTimeout(run, ms, () => new BenchtopError('TIMEOUT', `\`${command.split(' ')[0]}\` on ${label} did not finish within ${Math.round(ms / 1000)} s.`, 'The login node may be overloaded; try again.'));
    },
  };
}
