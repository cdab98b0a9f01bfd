import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { docker, eventually, JupyterUser, KEEP_NOTEBOOK, makeCore, makeProject, opId, record, removeProjectContainers, type TestProject } from './support';

/** A clock the test moves forward, so "an idle minute" passes without waiting one. */
class MovableClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

describe('idle stop', () => {
  let project: TestProject;
  let core: Core;
  const clock = new MovableClock();

  beforeAll(() => {
    project = makeProject({ benchtop: { idleMinutes: 1 } });
    core = makeCore({ clock });
  });

  afterAll(async () => {
    await removeProjectContainers(project);
    await core.close();
  });

  it('never stops a busy kernel, then stops the session once every kernel is idle past its idle minutes', async () => {
    const states = record(core, 'sessionState');
    const info = await core.sessions.up(core.ops.create(opId()), project.dir, 'local');
    expect(info.idleMinutes).toBe(1);
    const user = new JupyterUser(info.url as string);
    const kernel = await user.startKernel();
    const tab = await user.connect(kernel);
    expect((await tab.run('print("warm")').done).trim()).toBe('warm');

    // Just used: nothing to stop, and the UI learns when the rule would stop it.
    expect(await core.sessions.idle.checkNow()).toEqual([]);
    expect((await core.sessions.get(info.id)).idleStopAt).toBeDefined();

    // A long computation: even far past the idle time, a busy kernel keeps the session. The cell runs
    // until the test interrupts it, so the checks below always see it busy however slow the machine.
    // On the same connection, as a notebook tab runs its cells: busy once the kernel says so for this
    // cell, and listed so by Jupyter.
    const running = tab.run('import time\nfor _ in range(3000):\n    time.sleep(0.1)\nprint("not interrupted")');
    await running.busy;
    await eventually(async () => (await user.api<{ execution_state: string }[]>('api/kernels')).body.some((k) => k.execution_state === 'busy'), 100, 'Jupyter listing the kernel as busy');
    clock.offsetMs = 10 * 60_000;
    expect(await core.sessions.idle.checkNow()).toEqual([]);
    expect((await core.sessions.get(info.id)).state).toBe('ready');
    expect((await user.api(`api/kernels/${kernel}/interrupt`, { method: 'POST' })).status).toBe(204);
    expect(await running.done).toMatch(/KeyboardInterrupt/);
    tab.close();

    // Only /api/status calls since (the watcher's own): they are not activity.
    clock.offsetMs = 0;
    expect(await core.sessions.idle.checkNow()).toEqual([]);
    clock.offsetMs = 2 * 60_000;
    expect(await core.sessions.idle.checkNow()).toEqual([info.id]);

    const stopped = states.filter((s) => s.id === info.id).at(-1);
    expect(stopped).toMatchObject({ state: 'stopped' });
    expect(stopped?.message).toMatch(/Stopped after 1 idle minutes/);
    expect((await core.sessions.get(info.id)).state).toBe('stopped');
    expect(readFileSync(join(project.notebooks, 'keep.ipynb'), 'utf8')).toBe(KEEP_NOTEBOOK);
    // About 10 s alone; a session start and a kernel need headroom on a busy 2-core machine.
  }, 180_000);

  it('never stops a session whose container is computing where Jupyter cannot see it (a script started from a terminal)', async () => {
    clock.offsetMs = 0;
    const info = await core.sessions.up(core.ops.create(opId()), project.dir, 'local');
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    expect(await core.sessions.idle.checkNow()).toEqual([]);
    // No kernel, no terminal: by Jupyter's account the session does nothing. A script burns a core for 12 s.
    const script = await docker.getContainer(info.id).exec({ Cmd: ['python3', '-c', 'import time\nend = time.time() + 12\nwhile time.time() < end: pass'] });
    (await script.start({})).resume();
    await pause(7_000);
    // Ten minutes on Jupyter's clock without activity, but the container was working: kept.
    clock.offsetMs = 10 * 60_000;
    expect(await core.sessions.idle.checkNow()).toEqual([]);
    expect((await core.sessions.get(info.id)).state).toBe('ready');
    await eventually(async () => !(await script.inspect()).Running, 100, 'the script to end');
    expect(await core.sessions.idle.checkNow()).toEqual([]);
    // Quiet since the script ended: once the idle minute has passed since then, it is stopped.
    await pause(6_000);
    clock.offsetMs = 12 * 60_000;
    expect(await core.sessions.idle.checkNow()).toEqual([info.id]);
    expect((await core.sessions.get(info.id)).state).toBe('stopped');
  }, 180_000);
});
