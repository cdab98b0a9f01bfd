import { PassThrough } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { BenchtopError } from '../errors';
import type { ExecHandle, ExecHost } from './exec-host';

/** Quotes one argument for the remote POSIX shell (sshd runs an exec's command through the user's shell). */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * A folder on an SSH machine (a cluster's login node, whose shared file system the job mounts) as
 * the place where the sync's remote side runs: each exec is one `ssh exec` on the host's one
 * verified connection, as the account Benchtop logs in with (so `User` is not needed: that account
 * owns the folder, and it is never root). Archives are `tar` over the exec's stdout.
 */
export class SshFolderHost implements ExecHost {
  readonly modem = {
    demuxStream(stream: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void {
      const channel = stream as unknown as ClientChannel;
      channel.on('data', (chunk: Buffer) => stdout.write(chunk));
      channel.stderr.on('data', (chunk: Buffer) => stderr.write(chunk));
    },
  };

  /**
   * @param label the host's id, for messages
   * @param client the host's connected ssh2 client (hosts.connection(target).client())
   */
  constructor(readonly label: string, readonly id: string, private readonly client: () => Promise<Client>) {}

  async exec(options: { Cmd: string[] }): Promise<ExecHandle> {
    const command = options.Cmd.map(shellQuote).join(' ');
    let started: Promise<Opened> | undefined;
    return {
      start: async () => {
        started ??= this.#open(command);
        return (await started).channel as unknown as NodeJS.ReadWriteStream;
      },
      // Docker's exec inspect answers at once and the caller polls; here the answer waits for the
      // exit status. Ended by a signal, or closed without a status (the connection cut), it is -1.
      inspect: async () => {
        if (!started) return { Running: false, ExitCode: null };
        const code = await (await started).exit;
        return { Running: false, ExitCode: typeof code === 'number' ? code : -1 };
      },
    };
  }

  async getArchive(options: { path: string }): Promise<NodeJS.ReadableStream> {
    const path = options.path.replace(/\/+$/, '');
    const at = path.lastIndexOf('/');
    const dir = at <= 0 ? '/' : path.slice(0, at);
    const name = path.slice(at + 1);
    // One byte first says whether the path is there (Y: the tar follows), so a missing one is a 404 as Docker has it.
    const script = 'if [ -e "$1/$2" ] || [ -L "$1/$2" ]; then printf Y; cd "$1" && exec tar -cf - -- "$2"; else printf N; fi';
    const { channel, exit } = await this.#open(['sh', '-c', script, 'sh', dir, name].map(shellQuote).join(' '));
    const out = new PassThrough();
    let stderr = '';
    channel.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-400);
    });
    return new Promise((resolve, reject) => {
      let first = true;
      channel.on('data', (chunk: Buffer) => {
        if (first) {
          first = false;
          if (chunk[0] !== 0x59) {
            channel.close();
            reject(Object.assign(new Error(`${path} does not exist on ${this.label}`), { statusCode: 404 }));
            return;
          }
          resolve(out);
          chunk = chunk.subarray(1);
        }
        if (chunk.length > 0 && !out.write(chunk)) {
          channel.pause();
          out.once('drain', () => channel.resume());
        }
      });
      // Every byte is read once the channel's output ends; the exit status says whether tar finished.
      channel.once('end', () => {
        void exit.then((code) => {
          if (first) reject(new BenchtopError('SYNC_FAILED', `Reading ${path} on ${this.label} ended without an answer${stderr ? ` (${stderr.trim()})` : ''}.`, 'Nothing was lost; sync again.'));
          else if (code !== 0) {
            const how = typeof code === 'number' ? `exit ${code}` : code ?? 'no exit status';
            out.destroy(new Error(`tar of ${path} on ${this.label} failed (${how})${stderr ? `: ${stderr.trim()}` : ''}`));
          }
          else out.end();
        });
      });
      // A cut connection ends the channel's output too (ssh2 ends it on close): the exit status is missing then.
      channel.once('close', () => {
        if (first) reject(new BenchtopError('SYNC_FAILED', `Reading ${path} on ${this.label} was cut off${stderr ? ` (${stderr.trim()})` : ''}.`, 'Nothing was lost; sync again.'));
      });
      out.on('close', () => channel.close());
    });
  }

  /**
   * Opens an exec channel and, in the same tick, starts listening for how it ends: ssh2 parses a
   * whole TCP read at once, so a quick command's output, EOF and exit status can all arrive with the
   * exec's reply, and an `exit` listener added after an await would miss the status (a small tar
   * then "failed" with none). ssh2 also passes the status to `close`, which is the fallback.
   */
  async #open(command: string): Promise<Opened> {
    const client = await this.client();
    return new Promise((resolve, reject) => {
      client.exec(command, (error, channel) => {
        if (error) {
          reject(new BenchtopError('HOST_UNREACHABLE', `${this.label} refused to run the sync's helper: ${error.message}`,
            'Check that the account may run commands there (no forced command in authorized_keys) and that python3 is installed.'));
          return;
        }
        const exit = new Promise<ExitStatus>((done) => {
          const ended = (code?: number | null, signal?: string) => done(typeof code === 'number' ? code : signal ? `signal ${signal}` : null);
          channel.once('exit', ended);
          channel.once('close', ended);
        });
        resolve({ channel, exit });
      });
    });
  }
}

/** How a remote command ended: its exit code, the signal that ended it, or null when the channel closed without saying (the connection cut). */
type ExitStatus = number | string | null;
interface Opened {
  channel: ClientChannel;
  exit: Promise<ExitStatus>;
}
