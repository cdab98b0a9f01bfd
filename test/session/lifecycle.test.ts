import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import type { Core } from '../../src/main/core/core';
import { docker, env, JupyterUser, KEEP_NOTEBOOK, makeCore, makeProject, opId, record, removeProjectContainers, type TestProject } from './support';

describe('a session on this computer', () => {
  let project: TestProject;
  let core: Core;
  const others: Core[] = [];

  beforeAll(() => {
    // More CPUs than any test machine has: the limit is capped at the engine's, which would refuse more.
    project = makeProject({ benchtop: { limits: { cpus: 512, memory: '1gb' } } });
    core = makeCore();
  });

  afterAll(async () => {
    await removeProjectContainers(project);
    await Promise.all([core, ...others].map((c) => c.close()));
  });

  it('starts the pinned image, runs a cell over the kernel websocket, stops, is found again by a new Core, and is removed', async () => {
    const handlers = createHandlers(core);
    const steps = record(core, 'operationStep');
    const states = record(core, 'sessionState');
    const op = opId();

    const info = await handlers.sessionUp({ opId: op, dir: project.dir });
    expect(info.state).toBe('ready');
    expect(info.target).toBe('local');
    expect(info.digest).toBe(env().image.versions[env().image.latest].digest);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    expect(steps.filter((s) => s.opId === op).map((s) => s.step)).toEqual(['check', 'pull', 'start', 'wait-jupyter']);
    expect(states.map((s) => s.state)).toContain('starting');
    expect(states.at(-1)?.state).toBe('ready');

    // Jupyter answers with the token and refuses without it.
    const user = new JupyterUser(info.url as string);
    expect((await user.api('api/status')).status).toBe(200);
    expect((await fetch(new URL('api/contents', user.base))).status).toBe(403);

    // A notebook saved through Jupyter lands in the project folder; a cell runs in a real kernel.
    expect(await user.saveNotebook('analysis.ipynb', 'print(6 * 7)')).toBe(201);
    expect(JSON.parse(readFileSync(join(project.notebooks, 'analysis.ipynb'), 'utf8')).cells[0].source).toContain('print(6 * 7)');
    const kernel = await user.startKernel();
    const output = await user.execute(kernel, "open('from-kernel.txt', 'w').write('hello'); print(6 * 7)");
    expect(output.trim()).toBe('42');
    const written = join(project.notebooks, 'from-kernel.txt');
    expect(readFileSync(written, 'utf8')).toBe('hello');
    expect(statSync(written).uid).toBe(process.getuid?.());

    // The engine holds everything: labels, loopback-only publishing, the lockfile mounted read-only, no token in labels.
    const inspect = await docker.getContainer(info.id).inspect();
    expect(inspect.Config.Labels).toMatchObject({
      'dev.benchtop.session': '1',
      'dev.benchtop.project': project.dir,
      'dev.benchtop.project-name': project.name,
      'dev.benchtop.digest': info.digest,
      'dev.benchtop.target': 'local',
    });
    expect(JSON.stringify(inspect.Config.Labels)).not.toContain(user.token);
    // The engine picked the port from the sessionPorts range (race-free), published on 127.0.0.1 only.
    const range = core.settings.get('sessionPorts');
    expect(inspect.HostConfig.PortBindings?.['8888/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: `${range.first}-${range.last}` }]);
    expect(inspect.NetworkSettings.Ports['8888/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(info.hostPort) }]);
    expect(info.hostPort).toBeGreaterThanOrEqual(range.first);
    expect(info.hostPort).toBeLessThanOrEqual(range.last);
    expect(inspect.Mounts.find((m) => m.Destination === '/opt/benchtop/project.lock')?.RW).toBe(false);
    expect(inspect.HostConfig.NanoCpus).toBe((await core.engines.info('local')).cpus * 1e9);
    expect(inspect.HostConfig.Memory).toBe(2 ** 30);
    expect(inspect.Config.User).toBe(`${process.getuid?.()}:${process.getgid?.()}`);

    // Up again reuses the running session (same id, same token).
    const again = await handlers.sessionUp({ opId: opId(), dir: project.dir });
    expect(again.id).toBe(info.id);
    expect(again.url).toBe(info.url);

    // A new Core (an app restart) finds the running session from labels alone, ready, with its URL.
    const restarted = makeCore({ sameInstallAs: core });
    others.push(restarted);
    const found = (await restarted.sessions.list()).find((s) => s.id === info.id);
    expect(found).toMatchObject({ state: 'ready', url: info.url, projectDir: project.dir, digest: info.digest, mine: true, owner: core.owner });

    const stopped = await handlers.sessionStop({ id: info.id });
    expect(stopped.state).toBe('stopped');
    expect(stopped.url).toBeUndefined();

    const afterStop = makeCore({ sameInstallAs: core });
    others.push(afterStop);
    expect((await afterStop.sessions.list()).find((s) => s.id === info.id)).toMatchObject({ state: 'stopped', projectName: project.name });

    expect(await afterStop.sessions.remove(info.id)).toEqual({ removed: true });
    expect((await afterStop.sessions.list()).find((s) => s.id === info.id)).toBeUndefined();
    await expect(afterStop.sessions.get(info.id)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });

    // Nothing the user wrote went with the container.
    expect(readFileSync(join(project.notebooks, 'keep.ipynb'), 'utf8')).toBe(KEEP_NOTEBOOK);
    expect(readFileSync(written, 'utf8')).toBe('hello');
  });
});
