import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import type { Handlers } from '../../src/main/core/api/types';
import type { Core } from '../../src/main/core/core';
import type { SessionInfo } from '../../src/shared/contract/sessions';
import { eventually, JupyterUser, makeCore, makeProject, opId, record, recordingDesktop, removeProjectContainers, type TestProject } from './support';

describe('a running session’s log and stats', () => {
  let project: TestProject;
  let core: Core;
  let handlers: Handlers;
  let info: SessionInfo;
  const desktop = recordingDesktop();

  beforeAll(async () => {
    project = makeProject();
    core = makeCore({ desktop });
    handlers = createHandlers(core);
    info = await core.sessions.up(core.ops.create(opId()), project.dir, 'local');
  });

  afterAll(async () => {
    await removeProjectContainers(project);
    await core.close();
  });

  it('sends the log as lines, demultiplexed, with the token masked', async () => {
    const logs = record(core, 'sessionLog');
    const op = opId();
    const { lines: count } = await handlers.sessionLogs({ opId: op, id: info.id, follow: false });
    const lines = logs.filter((l) => l.opId === op).flatMap((l) => l.lines);
    expect(lines).toHaveLength(count);
    expect(lines.some((l) => l.includes('benchtop-jupyter: starting jupyter'))).toBe(true);
    // Frame headers never leak into the text.
    expect(lines.some((l) => l.includes('\u0000'))).toBe(false);
    expect(lines.join('\n')).not.toContain(new JupyterUser(info.url as string).token);
  });

  it('follows the log until cancelled', async () => {
    const logs = record(core, 'sessionLog');
    const op = opId();
    const following = handlers.sessionLogs({ opId: op, id: info.id, follow: true, tail: 0 });
    // Jupyter logs each API call it serves; make one.
    const user = new JupyterUser(info.url as string);
    await eventually(async () => {
      await user.api('api/contents/no-such-file.ipynb');
      return logs.some((l) => l.opId === op && l.lines.some((line) => line.includes('no-such-file')));
    }, 300);
    expect(await handlers.operationCancel({ opId: op })).toEqual({ cancelled: true });
    expect((await following).lines).toBeGreaterThan(0);
  });

  it('streams CPU and memory from the engine until cancelled', async () => {
    const stats = record(core, 'sessionStats');
    const op = opId();
    expect(await handlers.sessionWatchStats({ opId: op, id: info.id })).toEqual({ started: true });
    const sample = await eventually(() => stats.find((s) => s.opId === op && s.memoryBytes > 0));
    expect(sample.id).toBe(info.id);
    expect(sample.memoryLimitBytes).toBeGreaterThan(0);
    expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(await handlers.operationCancel({ opId: op })).toEqual({ cancelled: true });
  });

  it('answers SESSION_NOT_FOUND for an unknown id', async () => {
    // Through the envelope, as the app and the CLI's --json see it.
    expect(await dispatch(handlers, 'sessionStop', { id: 'benchtop-nope-00000000' })).toMatchObject({ error: { code: 'SESSION_NOT_FOUND', hint: expect.stringContaining('benchtop ps') } });
  });

  it('opens the notebook in the app or the browser', async () => {
    expect(await handlers.sessionOpen({ id: info.id, where: 'app' })).toEqual({ url: info.url });
    expect(await handlers.sessionOpen({ id: info.id, where: 'browser' })).toEqual({ url: info.url });
    // The browser gets a private page that goes on to the URL, not the URL (its command line is public).
    expect(desktop.opened).toEqual([{ where: 'app', url: info.url }, { where: 'page', url: expect.stringMatching(new RegExp(`/open/${info.id}\\.html$`)) }]);
  });

  it('restarts into a fresh, ready session; the old token stops working', async () => {
    const op = opId();
    const steps = record(core, 'operationStep');
    const restarted = await handlers.sessionRestart({ opId: op, id: info.id });
    expect(restarted).toMatchObject({ id: info.id, state: 'ready' });
    expect(steps.filter((s) => s.opId === op).map((s) => s.step)).toContain('wait-jupyter');
    const fresh = new JupyterUser(restarted.url as string);
    expect((await fresh.api('api/status')).status).toBe(200);
    const oldToken = new JupyterUser(info.url as string).token;
    expect(fresh.token).not.toBe(oldToken);
    expect((await new JupyterUser(`${fresh.base.href}?token=${oldToken}`).api('api/contents')).status).toBe(403);
    info = restarted;
  });
});
