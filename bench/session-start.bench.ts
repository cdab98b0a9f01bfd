/**
 * Warm start: the image is already on the engine. Benchtop's `up` (project read, lockfile check,
 * port choice, create, start, wait for Jupyter) against the plain way: `docker run` with the same
 * mounts, user and port, then polling `/api/status` with the token every 100 ms. Goal: <= 1.15x.
 *
 *   node --import tsx bench/session-start.bench.ts [runs]
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { testEnv } from '../test/support/env';
import { loopbackPortFree } from '../src/main/core/session/ports';
import { benchCore, benchProject } from './support/project';
import { compare, report } from './support/timing';

const run = promisify(execFile);
const docker = new Docker();
const runs = Number(process.argv[2] ?? 5);

async function pollStatus(port: number, token: string): Promise<void> {
  for (;;) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 1000);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { Authorization: `token ${token}` }, signal: controller.signal });
      if (r.ok) return;
    } catch {
      // not up yet
    } finally {
      clearTimeout(timer);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function freePort(from: number): Promise<number> {
  for (let port = from; ; port += 1) if (await loopbackPortFree(port)) return port;
}

async function main(): Promise<void> {
  const env = testEnv();
  const imageRef = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
  const project = benchProject(imageRef, env.image.lockfilePath);
  const core = benchCore();
  await core.sessions.pulls.pull('local', imageRef, core.ops.create('bench-pull')); // warm: the image is present for both sides
  const plainName = `bt-bench-plain-${randomBytes(3).toString('hex')}`;
  const user = `${process.getuid?.() ?? 1000}:${process.getgid?.() ?? 1000}`;
  let sessionId = '';
  let op = 0;
  try {
    const result = await compare('Warm session start: until Jupyter answers /api/status with the token', {
      name: 'benchtop up',
      reset: async () => {
        if (sessionId) await docker.getContainer(sessionId).remove({ force: true }).catch(() => undefined);
      },
      run: async () => {
        const info = await core.sessions.up(core.ops.create(`bench-${op++}`), project.dir, 'local');
        sessionId = info.id;
      },
    }, {
      name: 'docker run',
      reset: async () => {
        await docker.getContainer(plainName).remove({ force: true }).catch(() => undefined);
      },
      run: async () => {
        const token = randomBytes(24).toString('hex');
        const port = await freePort(18870);
        await run('docker', ['run', '-d', '--name', plainName, '-p', `127.0.0.1:${port}:8888`, '-e', `JUPYTER_TOKEN=${token}`,
          '-v', `${project.notebooks}:/home/analyst/work`, '--user', user, imageRef]);
        await pollStatus(port, token);
      },
    }, runs, 1.15);
    report(result, 'docker run + poll /api/status');
  } finally {
    if (sessionId) await docker.getContainer(sessionId).remove({ force: true }).catch(() => undefined);
    await docker.getContainer(plainName).remove({ force: true }).catch(() => undefined);
    await core.close();
  }
}

await main();
