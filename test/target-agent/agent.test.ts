import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentScript } from '../../src/main/core/gpu/agent-script';
import { EventBus } from '../../src/main/core/events';
import { JupyterClient } from '../../src/main/core/jupyter/client';
import { Operation } from '../../src/main/core/operation';
import type { GpuNotice } from '../../src/shared/contract/hosts';
import { JupyterUser } from '../session/support';
import { eventually, LocalAgentFixture } from './support';

/**
 * The host agent (src/target-agent/agent.py) running as a container on this computer's engine, in a
 * scope of its own, with the test host's nvidia-smi stand-in: real engine, real clock, short rules.
 */
describe('the host agent', () => {
  const fx = new LocalAgentFixture();
  const ana = { id: `ana-${fx.scope}`, name: 'ana' };
  const ben = { id: `ben-${fx.scope}`, name: 'ben' };
  const asAna = fx.gpus(ana);
  const asBen = fx.gpus(ben);

  beforeAll(async () => {
    expect(await fx.startAgent(ana)).toBe('started');
  }, 120_000);

  afterAll(async () => {
    await fx.close();
  });

  it('runs once per engine: a second client finds it running', async () => {
    expect(await fx.startAgent(ben)).toBe('running');
    const board = await eventually(async () => {
      const b = await asBen.board('local');
      return b.agent.running && b;
    });
    expect(board.agent).toEqual({ running: true, version: agentScript().version });
    expect(board.cards.map((c) => c.state)).toEqual(['free', 'free', 'free', 'free']);
  });

  it('stops a session whose lease expired, frees its cards, and warned its holder first', async () => {
    const session = `${fx.scope}-expiring`;
    const container = await fx.session(session, { 'dev.benchtop.owner': ana.id, 'dev.benchtop.owner-name': 'ana' });
    const [card] = await asAna.claim('local', { count: 1, hours: 6 / 3600 }, session, fx.image);
    const warned = await eventually(async () => (await asAna.board('local')).notices.find((n) => n.kind === 'lease-expiry' && n.sessionId === session), 20_000, 'the expiry warning');
    expect(warned).toMatchObject({ mine: true, message: expect.stringContaining('extend it') });
    await eventually(async () => !(await container.inspect()).State.Running, 30_000, 'the session to stop');
    // The agent frees the cards right after the stop returns.
    const board = await eventually(async () => {
      const b = await asBen.board('local');
      return b.cards.find((c) => c.uuid === card)?.state === 'free' && b;
    }, 10_000, 'the cards to be freed');
    const stopped = board.notices.find((n): n is GpuNotice => n.kind === 'stopped' && n.sessionId === session);
    expect(stopped).toMatchObject({ mine: false, message: expect.stringContaining('expired') });
    // Stopped, never removed: the container (and whatever it mounts) is still there.
    expect((await container.inspect()).State.Status).toBe('exited');
  }, 60_000);

  it('an extended lease outlives its first expiry; only its holder may extend it', async () => {
    const session = `${fx.scope}-extended`;
    const container = await fx.session(session);
    await asAna.claim('local', { count: 1, hours: 4 / 3600 }, session, fx.image);
    await expect(asBen.extend('local', session, 1)).rejects.toMatchObject({ code: 'NOT_OWNER' });
    const [lease] = await asAna.extend('local', session, 60 / 3600);
    expect(Date.parse(lease.expires!) - Date.parse(lease.since)).toBeGreaterThan(50_000);
    await new Promise((resolve) => setTimeout(resolve, 8000));
    expect((await container.inspect()).State.Running).toBe(true);
    expect((await asAna.list('local')).filter((l) => l.sessionId === session)).toHaveLength(1);
    await asAna.release(session, 'local');
  }, 60_000);

  it('hands freed cards to the queue in order, a 2-GPU claim first, and frees a lease whose session never came', async () => {
    const all = await asAna.claimOrQueue('local', { count: 4, kind: 'reservation' }, `${fx.scope}-all`, fx.image);
    expect(all).toMatchObject({ status: 'granted' });
    const two = await asBen.claimOrQueue('local', { count: 2 }, `${fx.scope}-two`, fx.image, true);
    const one = await asAna.claimOrQueue('local', { count: 1 }, `${fx.scope}-one`, fx.image, true);
    expect([two, one]).toEqual([
      { status: 'queued', sessionId: `${fx.scope}-two`, position: 1 },
      { status: 'queued', sessionId: `${fx.scope}-one`, position: 2 },
    ]);
    // Without a queue to join, a claim is refused with the reason.
    await expect(asBen.claim('local', { count: 1 }, `${fx.scope}-impatient`, fx.image)).rejects.toMatchObject({ code: 'GPU_BUSY', message: expect.stringContaining('2 claims already wait') });
    // One card frees up: the head needs two, so nobody gets it (no overtaking).
    const [first] = (await asAna.list('local')).filter((l) => l.sessionId === `${fx.scope}-all`);
    await fx.docker.getContainer(`benchtop-gpu-${first.gpu}`).remove({ force: true });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect((await asBen.queue('local')).map((e) => e.sessionId)).toEqual([`${fx.scope}-two`, `${fx.scope}-one`]);
    // All free: the head gets two, then the next one.
    await asAna.release(`${fx.scope}-all`, 'local');
    const granted = await asBen.waitForGrant(new Operation({ id: 'wait-two' }), 'local', `${fx.scope}-two`, { pollMs: 250 });
    expect(granted).toHaveLength(2);
    expect(await asAna.waitForGrant(new Operation({ id: 'wait-one' }), 'local', `${fx.scope}-one`, { pollMs: 250 })).toHaveLength(1);
    // Neither session container ever appeared: after the grace (5 s here) the agent frees the cards.
    await eventually(async () => (await asAna.list('local')).length === 0, 30_000, 'the unused grants to be freed');
  }, 90_000);

  it('leaving the queue removes the claim; only its owner may cancel it', async () => {
    await asAna.claimOrQueue('local', { count: 4, kind: 'reservation' }, `${fx.scope}-hog`, fx.image);
    expect(await asBen.claimOrQueue('local', { count: 1 }, `${fx.scope}-waiter`, fx.image, true)).toMatchObject({ status: 'queued', position: 1 });
    await expect(asAna.cancel('local', `${fx.scope}-waiter`)).rejects.toMatchObject({ code: 'NOT_OWNER' });
    const leaving = new AbortController();
    // Its queue positions are the operation's `gpu-queue` steps; cancelling the operation leaves the queue.
    const bus = new EventBus();
    const positions: string[] = [];
    bus.on('operationStep', (s) => s.step === 'gpu-queue' && positions.push(s.detail ?? ''));
    const waiting = asBen.waitForGrant(new Operation({ id: 'wait-waiter', signal: leaving.signal, bus }), 'local', `${fx.scope}-waiter`, { pollMs: 200 });
    await eventually(async () => positions.length > 0);
    leaving.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(positions).toEqual(['position 1 of 1 in the GPU queue of local']);
    expect(await asBen.queue('local')).toEqual([]);
    await expect(asBen.releaseOwn('local', `${fx.scope}-hog`)).rejects.toMatchObject({ code: 'NOT_OWNER' });
    expect(await asAna.releaseOwn('local', `${fx.scope}-hog`)).toHaveLength(4);
  }, 60_000);

  it('a card with a process outside any lease is flagged and never handed out', async () => {
    const state = fx.state();
    state.processes.push({ gpuUuid: fx.uuids[3], pid: 4_123_456, name: 'python3', usedMemoryMiB: 2048 });
    fx.writeState(state);
    try {
      const board = await eventually(async () => {
        const b = await asAna.board('local');
        return b.notices.some((n) => n.kind === 'unleased-use') && b;
      }, 20_000, 'the agent to flag the card');
      expect(board.cards[3]).toMatchObject({ state: 'unleased', unleasedBy: [expect.stringContaining('4123456')] });
      expect(board.notices.find((n) => n.kind === 'unleased-use')?.message).toContain('in use without a lease');
      await expect(asAna.claim('local', { ids: [fx.uuids[3]] }, `${fx.scope}-wants-3`, fx.image)).rejects.toMatchObject({
        code: 'GPU_BUSY', message: expect.stringContaining('in use without a lease'),
      });
      const three = await asAna.claim('local', { count: 3 }, `${fx.scope}-three`, fx.image);
      expect(three.sort()).toEqual(fx.uuids.slice(0, 3).sort());
      await asAna.release(`${fx.scope}-three`, 'local');
    } finally {
      state.processes = [];
      fx.writeState(state);
    }
  }, 60_000);
});

describe('idle stop by the host agent', () => {
  const fx = new LocalAgentFixture();
  const token = `tok-${fx.scope}`;

  afterAll(async () => {
    await fx.close();
  });

  /** A real Jupyter from the analysis image with idle rule 0.2 minutes (12 s), polled by the agent every second. */
  async function idleSession(suffix: string) {
    const name = `${fx.scope}-${suffix}`;
    const container = await fx.docker.createContainer({
      name, Image: fx.image, Cmd: ['/usr/local/bin/benchtop-jupyter'],
      Env: [`JUPYTER_TOKEN=${token}`, 'JUPYTER_PORT=8888'],
      Labels: { 'dev.benchtop.session': '1', 'dev.benchtop.scope': fx.scope, 'dev.benchtop.idle-minutes': '0.2' },
      ExposedPorts: { '8888/tcp': {} },
      HostConfig: { PortBindings: { '8888/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    await container.start();
    const port = (await container.inspect()).NetworkSettings.Ports['8888/tcp'][0].HostPort;
    const base = `http://127.0.0.1:${port}/`;
    const client = new JupyterClient(base, token);
    await eventually(async () => client.status(1000).then(() => true, () => false), 60_000, 'Jupyter');
    const running = async () => (await container.inspect()).State.Running;
    const stopped = () => eventually(async () => !(await running()) && Date.now(), 60_000, `the idle stop of ${name}`);
    return { name, container, base, running, stopped };
  }

  it('never stops a busy kernel; stops the session once idle past its rule, its own polling not counting', async () => {
    await fx.startAgent({ id: 'x', name: 'x' });
    const { name, base, running, stopped } = await idleSession('jupyter');
    // A kernel busy for 25 s: far past the 12 s rule, the session keeps running.
    const kernel = await (await fetch(`${base}api/kernels`, { method: 'POST', headers: { Authorization: `token ${token}` }, body: '{}' })).json() as { id: string };
    // Sent on a connection whose opening "nudge" is over (see JupyterUser.connect), then left running.
    const tab = await new JupyterUser(`${base}?token=${token}`).connect(kernel.id);
    await tab.run('import time; time.sleep(25)').busy;
    tab.close();
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    expect(await running()).toBe(true);
    // Idle now: stopped about 12 s after the cell ends (the agent's own calls are not activity).
    expect(await stopped()).toBeGreaterThan(0);
    expect(await fx.agentLogs()).toMatch(new RegExp(`${name} idle for 0.2 min; stopping it`));
  }, 180_000);

  it('never stops a session whose container is computing where Jupyter cannot see it (a script started from a terminal)', async () => {
    await fx.startAgent({ id: 'x', name: 'x' });
    const { name, container, running, stopped } = await idleSession('script');
    // Jupyter has no kernel and no terminal: by its own account the session is idle from the start.
    // A script burns a core for 30 s, far past the 12 s rule; the session keeps running.
    const script = await container.exec({ Cmd: ['python3', '-c', 'import time\nend = time.time() + 30\nwhile time.time() < end: pass'], AttachStdout: true, AttachStderr: true });
    const started = Date.now();
    (await script.start({})).resume();
    await new Promise((resolve) => setTimeout(resolve, 25_000));
    expect(await running()).toBe(true);
    // Once it ends, the session is idle and stopped about 12 s later.
    expect(await stopped()).toBeGreaterThan(started + 30_000);
    expect(await fx.agentLogs()).toMatch(new RegExp(`${name} idle for 0.2 min; stopping it`));
  }, 180_000);
});
