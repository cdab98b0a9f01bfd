import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * A few-hundred-KB image made from this machine's own `sleep` and `true` and the libraries they
 * load, imported with `docker import`: a real image for lease and session containers that needs no
 * registry and no network. Removed by the test that made it.
 */
export function buildTinyImage(labels: Record<string, string> = {}): string {
  const name = `bt-test-tiny-${randomBytes(4).toString('hex')}:1`;
  const binaries = ['/bin/sleep', '/bin/true'];
  const libs = execFileSync('ldd', binaries, { encoding: 'utf8' })
    .split('\n')
    .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
    .filter((p): p is string => Boolean(p));
  const files = [...new Set([...binaries, ...libs])].map((p) => p.slice(1));
  const changes = ['CMD ["/bin/sleep","600"]', ...Object.entries(labels).map(([k, v]) => `LABEL ${k}=${v}`)];
  execFileSync('sh', ['-c', `tar -C / -chf - ${files.join(' ')} | docker import ${changes.map((c) => `-c '${c}'`).join(' ')} - ${name}`]);
  return name;
}

export function removeImage(name: string): void {
  execFileSync('docker', ['rmi', '-f', name], { stdio: 'ignore' });
}
