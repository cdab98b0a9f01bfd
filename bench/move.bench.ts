/**
 * "Move this session to the GPU host", image already on both engines, until Jupyter answers there:
 * Benchtop's move (sync the notebooks into the host's volume, stop the local session, start the
 * same digest on the host, forward its port over the one SSH connection, wait for Jupyter) against
 * the plain way: rsync the folder to the host, `docker stop` here, `docker run` there over ssh, an
 * `ssh -L` tunnel, and polling /api/status with the token. Goal: Benchtop < 5 s.
 *
 *   node --import tsx bench/move.bench.ts [runs]
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { loopbackPortFree } from '../src/main/core/session/ports';
import { notebooksVolumeName } from '../src/main/core/sync/volume';
import { benchProject } from './support/project';
import { benchSshHost } from './support/ssh-host';
import { compare, median, report } from './support/timing';

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 3);

async function freePort(from: number): Promise<number> {
  for (let port = from; ; port += 1) if (await loopbackPortFree(port)) return port;
}

async function pollStatus(port: number, token: string): Promise<void> {
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  const { ssh, env, image, fx, target } = await benchSshHost();
  await fx.core.sessions.pulls.pull('local', image, fx.core.ops.create('bench-pull-local'));

  const project = benchProject(image, env.image.lockfilePath);
  for (let i = 0; i < 50; i += 1) writeFileSync(join(project.notebooks, `notebook ${i}.ipynb`), randomBytes(20_000));
  mkdirSync(join(project.notebooks, 'empty'));
  const info = await fx.core.projects.read(project.dir);
  const local = new Docker();
  const sshBase = ['-i', ssh.identityFile, '-p', String(ssh.port), '-o', `UserKnownHostsFile=${fx.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes'];
  const onHost = (cmd: string) => run('ssh', [...sshBase, `${ssh.user}@${ssh.host}`, cmd]);
  const hostHome = (await onHost('echo $HOME')).stdout.trim();
  const tag = randomBytes(3).toString('hex');
  const plainDir = `${hostHome}/bt-bench-move-${tag}`;
  const plainLocal = `bt-bench-move-local-${tag}`;
  const plainRemote = `bt-bench-move-remote-${tag}`;
  const token = randomBytes(16).toString('hex');
  let tunnel: ChildProcess | undefined;
  let localId = '';
  let remoteId = '';
  let op = 0;
  try {
    const result = await compare(`Move a session (50 notebooks) from this computer to ${target}, until Jupyter answers there`, {
      name: 'benchtop move',
      reset: async () => {
        if (remoteId) await fx.core.sessions.remove(remoteId).catch(() => undefined);
        localId = (await fx.core.sessions.up(fx.core.ops.create(`bench-up-${op++}`), info.dir, 'local')).id;
      },
      run: async () => {
        remoteId = (await fx.core.moves.move(fx.core.ops.create(`bench-move-${op++}`), localId, target)).id;
      },
    }, {
      name: 'rsync + docker over ssh',
      reset: async () => {
        tunnel?.kill();
        await onHost(`docker -H unix://${ssh.dockerSocket} rm -f ${plainRemote} >/dev/null 2>&1; rm -rf ${plainDir}`);
        await local.getContainer(plainLocal).remove({ force: true }).catch(() => undefined);
        const c = await local.createContainer({ name: plainLocal, Image: image, Env: [`JUPYTER_TOKEN=${token}`],
          HostConfig: { Binds: [`${project.notebooks}:/home/analyst/work`], PortBindings: { '8888/tcp': [{ HostIp: '127.0.0.1', HostPort: String(await freePort(18900)) }] } } });
        await c.start();
      },
      run: async () => {
        await run('rsync', ['-a', '--delete', '-e', `ssh ${sshBase.join(' ')}`, `${project.notebooks}/`, `${ssh.user}@${ssh.host}:${plainDir}/`]);
        await local.getContainer(plainLocal).stop({ t: 10 });
        await onHost(`docker -H unix://${ssh.dockerSocket} run -d --name ${plainRemote} -e JUPYTER_TOKEN=${token} -p 127.0.0.1:18999:8888 -v ${plainDir}:/home/analyst/work ${image}`);
        const port = await freePort(19100);
        tunnel = spawn('ssh', [...sshBase, '-N', '-L', `127.0.0.1:${port}:127.0.0.1:18999`, `${ssh.user}@${ssh.host}`], { stdio: 'ignore' });
        await pollStatus(port, token);
      },
    }, runs, Infinity);
    report(result, 'rsync + ssh docker run + ssh -L');
    const b = median(result.benchtop);
    process.stdout.write(`  Benchtop move ${b.toFixed(0)} ms (goal < 5000: ${b < 5000 ? 'met' : 'NOT met'})\n`);
  } finally {
    tunnel?.kill();
    for (const id of [localId, remoteId]) if (id) await fx.core.sessions.remove(id).catch(() => undefined);
    await onHost(`docker -H unix://${ssh.dockerSocket} rm -f ${plainRemote} >/dev/null 2>&1; rm -rf ${plainDir}`).catch(() => undefined);
    await local.getContainer(plainLocal).remove({ force: true }).catch(() => undefined);
    await (await fx.core.engines.docker(target)).getVolume(notebooksVolumeName(info.dir, info.name)).remove().catch(() => undefined);
    rmSync(project.dir, { recursive: true, force: true });
    await fx.close();
  }
}

await main();
