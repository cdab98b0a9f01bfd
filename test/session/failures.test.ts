import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { containerSpec } from '../../src/main/core/session/spec';
import { docker, env, eventually, KEEP_NOTEBOOK, makeCore, makeProject, opId, pinnedRef, record, removeProjectContainers, type TestProject } from './support';

const projects: TestProject[] = [];
const cores: Core[] = [];

function setup(options: Parameters<typeof makeProject>[0] = {}): { project: TestProject; core: Core } {
  const project = makeProject(options);
  const core = makeCore();
  projects.push(project);
  cores.push(core);
  return { project, core };
}

function up(core: Core, project: TestProject) {
  return core.sessions.up(core.ops.create(opId()), project.dir, 'local');
}

/** Notebooks untouched in every failure: the one notebook is still there, byte for byte, and nothing else was deleted. */
function expectNotebooksUntouched(project: TestProject): void {
  expect(readFileSync(join(project.notebooks, 'keep.ipynb'), 'utf8')).toBe(KEEP_NOTEBOOK);
  expect(readdirSync(project.notebooks)).toContain('keep.ipynb');
}

async function containersOf(project: TestProject) {
  return docker.listContainers({ all: true, filters: { label: [`dev.benchtop.project=${project.dir}`] } });
}

afterEach(async () => {
  await Promise.all(projects.map(removeProjectContainers));
});

afterAll(async () => {
  await Promise.all(cores.map((c) => c.close()));
});

describe('sessions that cannot start say why, and keep the notebooks', () => {
  it('PORT_IN_USE when the project’s port is taken on 127.0.0.1, with the fix', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { project, core } = setup({ benchtop: { jupyter: { port } } });
      const error = await up(core, project).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'PORT_IN_USE' });
      expect((error as Error).message).toContain(String(port));
      expect((error as { hint: string }).hint).toMatch(/Stop whatever listens there|remove jupyter.port/);
      expect(await containersOf(project)).toHaveLength(0);
      expectNotebooksUntouched(project);
    } finally {
      blocker.close();
    }
  });

  it('IMAGE_NOT_FOUND when the pinned image is gone from the registry', async () => {
    const gone = `${env().registry}/${env().image.repository}@sha256:${'0'.repeat(64)}`;
    const { project, core } = setup({ image: gone });
    const error = await up(core, project).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    expect((error as Error).message).toMatch(/manifest unknown|not found/);
    expect(await containersOf(project)).toHaveLength(0);
    expectNotebooksUntouched(project);
  });

  it('LOCKFILE_MISMATCH before starting when the project’s lockfile is not the image’s', async () => {
    const { project, core } = setup({ lockfile: 'pandas==0.0.1\n' });
    await expect(up(core, project)).rejects.toMatchObject({ code: 'LOCKFILE_MISMATCH' });
    expect(await containersOf(project)).toHaveLength(0);
    expectNotebooksUntouched(project);
  });

  it('JUPYTER_NOT_READY with the last log lines (token masked) when Jupyter rejects its arguments', async () => {
    const { project, core } = setup({ benchtop: { jupyter: { args: ['--no-such-option-here'] } } });
    const error = await up(core, project).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JUPYTER_NOT_READY' });
    expect((error as Error).message).toMatch(/exited with code \d+/);
    expect((error as Error).message).toContain('Last log lines');
    const [container] = await containersOf(project);
    const token = (await docker.getContainer(container.Id).inspect()).Config.Env.find((e) => e.startsWith('JUPYTER_TOKEN='))?.slice(14);
    expect(token).toBeTruthy();
    expect((error as Error).message).not.toContain(token);
    const listed = (await core.sessions.list()).find((s) => s.projectDir === project.dir);
    expect(listed).toMatchObject({ state: 'failed', code: 'JUPYTER_NOT_READY' });
    expectNotebooksUntouched(project);
  });

  it('JUPYTER_NOT_READY after the timeout when Jupyter runs but never answers where it should', async () => {
    // Jupyter starts fine but serves under another path, so /api/status never answers.
    const { project, core } = setup({ benchtop: { jupyter: { args: ['--NotebookApp.base_url=/elsewhere/'] } } });
    core.sessions.readyTimeoutMs = 8000;
    const error = await up(core, project).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JUPYTER_NOT_READY' });
    expect((error as Error).message).toMatch(/did not answer at http:\/\/127\.0\.0\.1:\d+\/ within 8 s/);
    expect((error as Error).message).toContain('/elsewhere/');
    // Stopped, so it holds no port, but kept, so `benchtop logs` still shows why.
    const listed = (await core.sessions.list()).find((s) => s.projectDir === project.dir);
    expect(listed).toMatchObject({ state: 'failed', code: 'JUPYTER_NOT_READY' });
    expectNotebooksUntouched(project);
  });

  it('CANCELLED when the user calls off a start, leaving no container behind', async () => {
    const { project, core } = setup({ benchtop: { jupyter: { args: ['--NotebookApp.base_url=/elsewhere/'] } } });
    const steps = record(core, 'operationStep');
    const op = opId();
    const starting = core.ops.run(op, (o) => core.sessions.up(o, project.dir, 'local'));
    await eventually(() => steps.some((s) => s.opId === op && s.step === 'wait-jupyter'));
    expect(core.ops.cancel(op)).toBe(true);
    await expect(starting).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await containersOf(project)).toHaveLength(0);
    expectNotebooksUntouched(project);
  });

  it('a session killed while running turns failed with CONTAINER_EXITED, and the notebooks stay', async () => {
    const { project, core } = setup();
    const states = record(core, 'sessionState');
    const info = await up(core, project);
    expect(info.state).toBe('ready');
    await docker.getContainer(info.id).kill();
    const failed = await eventually(() => states.find((s) => s.id === info.id && s.state === 'failed'));
    expect(failed.code).toBe('CONTAINER_EXITED');
    expect(failed.message).toMatch(/killed/);
    expect(failed.url).toBeUndefined();
    expect((await core.sessions.list()).find((s) => s.id === info.id)).toMatchObject({ state: 'failed', code: 'CONTAINER_EXITED' });
    expectNotebooksUntouched(project);
  });

  it('CONTAINER_OOM when the session’s memory limit is too small for Jupyter to start', async () => {
    const { project, core } = setup({ benchtop: { limits: { memory: '20mb' } } });
    const error = await up(core, project).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONTAINER_OOM', hint: expect.stringContaining('customizations.benchtop.limits.memory') });
    const [container] = await containersOf(project);
    expect((await docker.getContainer(container.Id).inspect()).HostConfig.Memory).toBe(20 * 1024 * 1024);
    expect((await core.sessions.list()).find((s) => s.projectDir === project.dir)).toMatchObject({ state: 'failed', code: 'CONTAINER_OOM' });
    expectNotebooksUntouched(project);
  });

  it('SESSION_EXISTS when the project is re-pinned while its session runs', async () => {
    const versions = Object.keys(env().image.versions);
    const { project, core } = setup({ version: versions[0] });
    const info = await up(core, project);
    // Same folder, new pin: rewrite the devcontainer.json in place.
    const file = join(project.dir, '.devcontainer', 'devcontainer.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(pinnedRef(versions[0]), pinnedRef(versions[versions.length - 1])));
    await expect(up(core, project)).rejects.toMatchObject({ code: 'SESSION_EXISTS' });
    expect((await docker.getContainer(info.id).inspect()).State.Running).toBe(true);
  });
});

describe('GPUs on an engine without the NVIDIA runtime', () => {
  it('a project that requires a GPU gets GPU_UNAVAILABLE from the lease service here, and no container', async () => {
    const { project, core } = setup({ hostRequirements: { gpu: true } });
    await expect(up(core, project)).rejects.toMatchObject({ code: 'GPU_UNAVAILABLE' });
    expect(await containersOf(project)).toHaveLength(0);
    expectNotebooksUntouched(project);
  });

  it('a project where the GPU is optional runs on CPU instead', async () => {
    const { project, core } = setup({ hostRequirements: { gpu: 'optional' } });
    const info = await up(core, project);
    expect(info).toMatchObject({ state: 'ready', gpus: [] });
    expect((await docker.getContainer(info.id).inspect()).HostConfig.DeviceRequests ?? []).toEqual([]);
  });


  it('the real engine refuses the session’s DeviceRequests and Benchtop says ENGINE_NO_GPU_RUNTIME', async () => {
    const { project, core } = setup();
    const opened = await core.projects.open(project.dir);
    const spec = containerSpec({
      id: `bt-test-gpu-${Date.now()}`, imageRef: pinnedRef(), project: opened,
      mounts: { notebooksDir: project.notebooks }, token: 'x'.repeat(48), hostPort: '', gpus: ['0'], engineCpus: 0, engineMemoryBytes: 0,
      labels: { projectDir: project.dir, projectName: project.name, user: 'test', image: 'x', digest: 'x', appVersion: '0', target: 'local', gpus: ['0'], idleMinutes: 0, port: 0 },
    });
    await core.sessions.pulls.pull('local', pinnedRef(), core.ops.create(opId()));
    const error = await core.engines.call('local', 'gpu session', async (d) => {
      const container = await d.createContainer(spec);
      await container.start();
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENGINE_NO_GPU_RUNTIME' });
    expect((error as Error).message).toMatch(/could not select device driver/);
    expect((error as { hint: string }).hint).toMatch(/NVIDIA Container Toolkit/);
  });
});
