import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import type { Core } from '../../src/main/core/core';
import { runCli } from '../support/cli';
import { docker, env, JupyterUser, makeCore, makeProject, opId, removeProjectContainers, type TestProject } from '../session/support';

/**
 * devcontainer.json as teams write it, through real sessions on the real engine and registry:
 * `init` + `pin` + `up` with nothing else; no CPU or memory caps from hostRequirements; a usable
 * /dev/shm; `${localEnv:…}`; postCreateCommand once; a forwarded port that answers; a named volume;
 * a failing command reported; and a jupyter/docker-stacks-layout image.
 */
const root = new URL('../..', import.meta.url).pathname;
const STACKS_REF = `${env().registry}/team/stacks-notebook:test`;
const projects: TestProject[] = [];
const cores: Core[] = [];
const volumes: string[] = [];
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(projects.map((p) => removeProjectContainers(p)));
  for (const dir of dirs) await removeProjectContainers({ dir, notebooks: '', name: '' });
  await Promise.all(cores.map((c) => c.close()));
  await Promise.all(volumes.map((v) => docker.getVolume(v).remove().catch(() => undefined)));
});

function core(envExtra: NodeJS.ProcessEnv = {}): Core {
  const c = makeCore({ env: { ...process.env, ...envExtra } });
  cores.push(c);
  return c;
}

function project(options: Parameters<typeof makeProject>[0] & { extra?: Record<string, unknown> } = {}): TestProject {
  const p = makeProject(options);
  projects.push(p);
  if (options.extra) {
    const path = join(p.dir, '.devcontainer', 'devcontainer.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), ...options.extra }, null, 2));
  }
  return p;
}

/** A port for forwardPorts nobody else is likely to use right now. */
const freePort = () => 20000 + Math.floor(Math.random() * 20000);

describe('from nothing to a notebook with the CLI', { timeout: 240_000 }, () => {
  it('init --image, pin, up: the lockfile comes with the pin and the session is ready', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bt-test-home-'));
    const dir = join(mkdtempSync(join(tmpdir(), 'bt-test-onboard-')), `bt-test-${randomBytes(3).toString('hex')}`);
    dirs.push(dir);
    // From the source checkout (tsx resolves from there); the bundled command from a project folder is test/cli-launcher's.
    const benchtop = (...args: string[]) => runCli('source', args, { env: { BENCHTOP_HOME: home }, cwd: root });
    const e = env();
    const older = Object.keys(e.image.versions).find((v) => v !== e.image.latest) as string;

    const init = await benchtop('init', dir, '--image', `${e.registry}/${e.image.repository}:${older}`);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/Lockfile: Wrote environment\.lock from 127\.0\.0\.1:5000\/team\/analysis:\S+ \(\d+ packages\)\./);
    expect(readFileSync(join(dir, 'environment.lock'), 'utf8')).toBe(readFileSync(e.image.lockfilePath, 'utf8'));

    const pin = await benchtop('pin', '--dir', dir);
    expect(pin.code).toBe(0);
    expect(pin.stdout).toMatch(new RegExp(`Pinned:\\s+${e.registry}\\/${e.image.repository}@${e.image.versions[e.image.latest].digest}`));
    expect(pin.stdout).toContain('Lockfile: environment.lock already is');

    const up = await benchtop('up', dir, '--no-open');
    expect(up.stderr).toContain('is ready');
    expect(up.code).toBe(0);
    const url = up.stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect((await new JupyterUser(url).api('api/status')).status).toBe(200);

    // hostRequirements (the template asks 2 CPUs, 4 GB) are minimums, not caps; /dev/shm is not Docker's 64 MB.
    const [container] = await docker.listContainers({ filters: { label: [`dev.benchtop.project=${dir}`] } });
    const inspect = await docker.getContainer(container.Id).inspect();
    expect(inspect.HostConfig.NanoCpus ?? 0).toBe(0);
    expect(inspect.HostConfig.Memory ?? 0).toBe(0);
    expect(inspect.HostConfig.ShmSize).toBeGreaterThan(64 * 2 ** 20);
  });
});

describe('devcontainer.json keys in a running session', { timeout: 240_000 }, () => {
  it('substitutes ${localEnv}, runs postCreateCommand once and postStartCommand, publishes forwardPorts on 127.0.0.1, mounts a named volume, applies --shm-size and explicit limits', async () => {
    const port = freePort();
    const volume = `bt-test-${randomBytes(4).toString('hex')}`;
    volumes.push(volume);
    const p = project({
      benchtop: { limits: { memory: '1gb' } },
      extra: {
        containerEnv: { FROM_LAPTOP: '${localEnv:BT_TEST_SECRET}', WITH_DEFAULT: '${localEnv:BT_TEST_UNSET:fallback}' },
        remoteEnv: { WORK: '${containerWorkspaceFolder}' },
        postCreateCommand: 'echo created >> "$WORK/created.txt" && echo "$FROM_LAPTOP" > "$WORK/env.txt"',
        postStartCommand: { server: ['sh', '-c', `nohup python3 -m http.server ${port} --bind 0.0.0.0 --directory "$WORK" >/dev/null 2>&1 &`] },
        forwardPorts: [port],
        mounts: [`source=${volume},target=/data,type=volume`],
        runArgs: ['--shm-size=256m'],
      },
    });
    const c = core({ BT_TEST_SECRET: 'sesame' });
    const info = await createHandlers(c).sessionUp({ opId: opId(), dir: p.dir });
    expect(info.state).toBe('ready');

    expect(readFileSync(join(p.notebooks, 'created.txt'), 'utf8')).toBe('created\n');
    expect(readFileSync(join(p.notebooks, 'env.txt'), 'utf8')).toBe('sesame\n');
    const inspect = await docker.getContainer(info.id).inspect();
    expect(inspect.Config.Env).toEqual(expect.arrayContaining(['FROM_LAPTOP=sesame', 'WITH_DEFAULT=fallback', 'WORK=/home/analyst/work']));
    expect(inspect.HostConfig.PortBindings?.[`${port}/tcp`]).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    expect(inspect.Mounts.find((m) => m.Destination === '/data')).toMatchObject({ Type: 'volume', Name: volume });
    expect(inspect.HostConfig.ShmSize).toBe(256 * 2 ** 20);
    expect(inspect.HostConfig.Memory).toBe(2 ** 30);
    expect(inspect.HostConfig.NanoCpus ?? 0).toBe(0);

    // The forwarded port answers from this computer (the server postStartCommand started).
    let answer: Response | undefined;
    for (let i = 0; i < 50 && !answer?.ok; i += 1) {
      answer = await fetch(`http://127.0.0.1:${port}/env.txt`).catch(() => undefined);
      if (!answer?.ok) await new Promise((r) => setTimeout(r, 200));
    }
    expect(await answer?.text()).toBe('sesame\n');

    // Up again reuses the running session: postCreateCommand does not run a second time.
    await createHandlers(c).sessionUp({ opId: opId(), dir: p.dir });
    expect(readFileSync(join(p.notebooks, 'created.txt'), 'utf8')).toBe('created\n');
  });

  it('a failing postCreateCommand is DEVCONTAINER_COMMAND_FAILED with its output, and the session is stopped', async () => {
    const p = project({ extra: { postCreateCommand: ['sh', '-c', 'echo "installing the data package"; echo "no such package: churnlib" >&2; exit 3'] } });
    const c = core();
    const error = await Promise.resolve().then(() => createHandlers(c).sessionUp({ opId: opId(), dir: p.dir })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DEVCONTAINER_COMMAND_FAILED' });
    expect((error as Error).message).toMatch(/postCreateCommand \(sh -c .*\) exited with code 3/);
    expect((error as Error).message).toContain('no such package: churnlib');
    const [container] = await docker.listContainers({ all: true, filters: { label: [`dev.benchtop.project=${p.dir}`] } });
    expect(container.State).not.toBe('running');
  });
});

describe('an image in the jupyter/docker-stacks layout', { timeout: 240_000 }, () => {
  it('starts start-notebook.py with the token, IP and port, serves the notebooks, and runs a kernel', async (ctx) => {
    const present = await docker.getImage(STACKS_REF).inspect().catch(() => undefined);
    if (!present) ctx.skip(); // built by scripts/test-env.sh (analysis-images.sh: ensure_stacks_image); rerun it
    const digest = (present?.RepoDigests ?? []).find((d) => d.startsWith(`${env().registry}/team/stacks-notebook@`))?.split('@')[1] as string;
    const p = project({ image: `${env().registry}/team/stacks-notebook@${digest}`, lockfile: false });
    const c = core();
    const info = await createHandlers(c).sessionUp({ opId: opId(), dir: p.dir });
    expect(info.state).toBe('ready');
    const inspect = await docker.getContainer(info.id).inspect();
    expect(inspect.Config.Cmd?.[0]).toBe('start-notebook.py');
    expect(inspect.Config.Cmd).toEqual(expect.arrayContaining(['--ip=0.0.0.0', '--port=8888', '--notebook-dir=/home/jovyan/work']));
    expect(JSON.stringify(inspect.Config.Cmd)).not.toContain(new URL(info.url as string).searchParams.get('token'));
    expect(inspect.Mounts.find((m) => m.Destination === '/home/jovyan/work')?.Source).toBe(p.notebooks);

    const user = new JupyterUser(info.url as string);
    expect((await fetch(new URL('api/contents', user.base))).status).toBe(403);
    expect(await user.saveNotebook('stacks.ipynb', 'print(6 * 7)')).toBe(201);
    expect(readFileSync(join(p.notebooks, 'stacks.ipynb'), 'utf8')).toContain('print(6 * 7)');
    expect((await user.execute(await user.startKernel(), 'print(6 * 7)')).trim()).toBe('42');
  });
});

