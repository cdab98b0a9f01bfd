import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';

/** The tokens ssh_config(5) allows in ProxyCommand: %h host, %p port, %r user, %n original alias, %%. */
export function expandProxyCommand(command: string, ctx: { hostname: string; port: number; user: string; alias: string }): string {
  return command.replace(/%([%hprn])/g, (_, token: string) =>
    token === '%' ? '%' : token === 'h' ? ctx.hostname : token === 'p' ? String(ctx.port) : token === 'r' ? ctx.user : ctx.alias);
}

/**
 * Runs a ProxyCommand the way ssh(1) does (through the shell, `exec`ed so no extra shell lingers)
 * and returns its stdin/stdout as one stream for ssh2's `sock`. The command's stderr is kept for
 * the error message when it exits before the handshake ends.
 */
export function proxyCommandStream(command: string, env: NodeJS.ProcessEnv): { stream: Duplex; stderr: () => string } {
  const shell = process.platform === 'win32';
  const child = spawn(shell ? command : `exec ${command}`, { shell: true, env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  const errors: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    if (errors.length < 64) errors.push(chunk);
  });
  const stream = new Duplex({
    read() {
      child.stdout.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      child.stdin.write(chunk, callback);
    },
    final(callback) {
      child.stdin.end(callback);
    },
    destroy(error, callback) {
      if (child.exitCode === null) child.kill();
      callback(error);
    },
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) child.stdout.pause();
  });
  child.stdout.on('end', () => stream.push(null));
  // A write after the command exited would otherwise be an unhandled EPIPE; the close below reports it.
  child.stdin.on('error', (error) => stream.destroy(error));
  child.on('error', (error) => stream.destroy(error));
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) stream.destroy(new Error(`ProxyCommand exited with ${code}: ${Buffer.concat(errors).toString('utf8').trim()}`));
  });
  return { stream, stderr: () => Buffer.concat(errors).toString('utf8').trim() };
}
