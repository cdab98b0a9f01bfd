import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

/**
 * Runs a shell script as root inside a running container (what a user's `sudo pip install` in a
 * session would do), for a spec's own setup. Throws with the output when the script fails.
 */
export async function execAsRoot(docker: Docker, container: string, script: string, env: string[] = []): Promise<string> {
  const exec = await docker.getContainer(container).exec({
    Cmd: ['sh', '-euc', script],
    User: 'root',
    Env: env,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  const output = Buffer.concat(chunks).toString('utf8');
  // The stream can end a moment before the engine records the exit code.
  let info = await exec.inspect();
  for (let i = 0; info.Running && i < 100; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    info = await exec.inspect();
  }
  const { ExitCode } = info;
  if (ExitCode !== 0) throw new Error(`sh -euc in ${container} exited with ${ExitCode}:\n${script}\n${output}`);
  return output;
}
