import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { GpuService } from '../../src/main/core/gpu/service';
import type { GpuClaimResult } from '../../src/shared/contract/hosts';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { testEnv } from '../support/env';
import { analystAccounts } from '../support/ssh-host';
import { simulatedGpuIds } from '../support/ssh-host-gpus';
import { eventually } from '../target-agent/support';

/**
 * The team's test host over real SSH: two analysts (two settings homes, two SSH accounts), four
 * simulated GPUs, the host's real agent. What every loser of a race sees, and what the cards of
 * running containers say (NVIDIA_VISIBLE_DEVICES in each container's own environment).
 */
describe('GPU claims on a shared host', () => {
  const env = testEnv();
  const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
  const run = `bt-test-${randomBytes(3).toString('hex')}`;
  const cards = simulatedGpuIds();
  let ana: { fx: HostsFixture; target: string };
  let ben: { fx: HostsFixture; target: string };
  let docker: Docker;

  beforeAll(async () => {
    const [alice, bob] = analystAccounts();
    ana = await sshHostFixture(image, alice);
    ben = await sshHostFixture(undefined, bob);
    docker = await ana.fx.core.engines.docker(ana.target);
  }, 180_000);

  afterAll(async () => {
    // Everything this run made: session stand-ins, leases, queue places (by their session names).
    const mine = (await docker.listContainers({ all: true })).filter((c) =>
      (c.Names ?? []).some((n) => n.includes(run)) || Object.values(c.Labels ?? {}).some((v) => v.includes(run)));
    for (const c of mine) await docker.getContainer(c.Id).remove({ force: true }).catch((e: unknown) => console.warn(`cleanup ${c.Id}: ${String(e)}`));
    await ana?.fx.close();
    await ben?.fx.close();
  }, 120_000);

  /** A session stand-in on the host using the cards it won, as the session's container would. */
  async function startOn(gpus: string[], name: string, owner: { id: string; name: string }): Promise<Docker.Container> {
    const container = await docker.createContainer({
      name, Image: image, Entrypoint: ['sleep', '600'], Cmd: [],
      Labels: { 'dev.benchtop.session': '1', 'dev.benchtop.gpus': gpus.join(','), 'dev.benchtop.owner': owner.id, 'dev.benchtop.owner-name': owner.name },
      HostConfig: { DeviceRequests: [{ Driver: 'nvidia', DeviceIDs: gpus, Capabilities: [['gpu']] }] },
    });
    await container.start();
    return container;
  }

  /** The cards a running container was given, from its own process environment. */
  async function visibleDevices(container: Docker.Container): Promise<string[]> {
    const exec = await container.exec({ Cmd: ['cat', '/proc/1/environ'], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    const chunks: Buffer[] = [];
    await new Promise((resolve, reject) => stream.on('data', (c: Buffer) => chunks.push(c)).on('end', resolve).on('error', reject));
    const text = Buffer.concat(chunks).toString('latin1');
    return (/NVIDIA_VISIBLE_DEVICES=([^\0]*)/.exec(text)?.[1] ?? '').split(',').filter(Boolean);
  }

  it('100 concurrent claims by two people on four cards: no card is ever given twice; every loser is GPU_BUSY or queued', async () => {
    const people: [GpuService, string][] = [[ana.fx.core.gpus, 'ana'], [ben.fx.core.gpus, 'ben']];
    const claims = Array.from({ length: 100 }, (_, i) => {
      const [gpus] = people[i % 2];
      const sessionId = `${run}-c${i}`;
      // Half of them would rather wait in the queue than fail.
      return gpus.claimOrQueue(ana.target, { count: i % 10 === 9 ? 2 : 1 }, sessionId, image, i % 4 < 2)
        .then((r): GpuClaimResult | { status: 'busy' | 'failed'; sessionId: string; why?: string } => r,
          (error: { code?: string; message?: string }) => ({ status: error.code === 'GPU_BUSY' ? 'busy' : 'failed', sessionId, why: `${error.code}: ${error.message}` }));
    });
    const claimer = (sessionId: string) => people[Number(/c(\d+)$/.exec(sessionId)![1]) % 2][0];
    let settled = 0;
    claims.forEach((c) => void c.finally(() => (settled += 1)));
    const progress = setInterval(() => console.log(`claims settled: ${settled}/100`), 10_000);
    const results = await Promise.all(claims).finally(() => clearInterval(progress));
    // Whatever happens below, nobody's claim of this run stays in the host's queue.
    onTestFinished(async () => {
      const left = await docker.listContainers({ all: true, filters: { label: ['dev.benchtop.queue=1'] } });
      for (const c of left.filter((q) => q.Labels['dev.benchtop.queue.session']?.startsWith(run))) {
        await docker.getContainer(c.Id).remove({ force: true }).catch((e: unknown) => console.warn(`leaving the queue ${c.Id}: ${String(e)}`));
      }
    });
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    const granted = results.filter((r): r is Extract<GpuClaimResult, { status: 'granted' }> => r.status === 'granted');
    const queued = results.filter((r) => r.status === 'queued');
    expect(granted.length + queued.length + results.filter((r) => r.status === 'busy').length).toBe(100);
    expect(granted.length).toBeGreaterThan(0);
    const given = granted.flatMap((g) => g.gpus);
    expect(new Set(given).size).toBe(given.length);
    expect(given.every((g) => cards.includes(g))).toBe(true);
    // The queue holds each waiting claim once, in one order every client sees.
    const line = await ben.fx.core.gpus.queue(ana.target);
    expect(line.filter((e) => e.sessionId.startsWith(run)).map((e) => e.sessionId).sort()).toEqual(queued.map((q) => q.sessionId).sort());
    expect((await ana.fx.core.gpus.queue(ana.target)).map((e) => e.sessionId)).toEqual(line.map((e) => e.sessionId));
    // Leave the queue before cards are handed around, then run the winners.
    for (const q of queued) await claimer(q.sessionId).cancel(ana.target, q.sessionId);
    const running = await Promise.all(granted.map((g) => startOn(g.gpus, g.sessionId, { id: 'x', name: 'x' })));
    const seen = (await Promise.all(running.map(visibleDevices)));
    expect(seen.map((s) => s.sort().join(','))).toEqual(granted.map((g) => [...g.gpus].sort().join(',')));
    expect(new Set(seen.flat()).size).toBe(seen.flat().length);
    for (const [i, g] of granted.entries()) {
      await running[i].remove({ force: true });
      await ana.fx.core.gpus.release(g.sessionId, ana.target);
    }
  }, 240_000);

  it('a running session keeps its card when its lease record is pruned or removed by hand, and the lease comes back', async () => {
    const session = `${run}-pruned`;
    const [card] = await ana.fx.core.gpus.claim(ana.target, { count: 1 }, session, image);
    const container = await startOn([card], session, ana.fx.core.owner);
    expect(await visibleDevices(container)).toEqual([card]);
    // `docker container prune` deletes created-never-started containers: the lease record among them.
    await docker.pruneContainers({ filters: { label: [`dev.benchtop.lease.session=${session}`] } });
    expect((await ana.fx.core.gpus.list(ana.target)).filter((l) => l.sessionId === session)).toEqual([]);
    // Nobody is given that card: the running session's request counts as held.
    await expect(ben.fx.core.gpus.claim(ana.target, { ids: [card] }, `${run}-thief`, image)).rejects.toMatchObject({
      code: 'GPU_BUSY', message: expect.stringContaining(`used by the running session ${session}`),
    });
    // …and its lease is re-asserted (by that claim or the host's agent), naming its holder again.
    const back = await eventually(async () => (await ben.fx.core.gpus.list(ana.target)).find((l) => l.gpu === card), 30_000, 'the lease to come back');
    expect(back).toMatchObject({ sessionId: session, holder: ana.fx.core.owner.name, mine: false });
    // A manual rm of the record: the same.
    await docker.getContainer(`benchtop-gpu-${card}`).remove({ force: true });
    await expect(ben.fx.core.gpus.claim(ana.target, { ids: [card] }, `${run}-thief2`, image)).rejects.toMatchObject({ code: 'GPU_BUSY' });
    await eventually(async () => (await ana.fx.core.gpus.list(ana.target)).some((l) => l.gpu === card && l.sessionId === session), 30_000, 'the lease to come back');
    await container.remove({ force: true });
    await ana.fx.core.gpus.release(session, ana.target);
  }, 120_000);

  it('the queue on the host: the head is handed a card as soon as one is released', async () => {
    const hog = `${run}-hog`;
    const held = await ana.fx.core.gpus.claimOrQueue(ana.target, { count: 4, kind: 'reservation' }, hog, image);
    if (held.status !== 'granted') throw new Error(`the four cards are not free on the test host: ${JSON.stringify(held)}`);
    const waiting = `${run}-waiting`;
    // The wait's queue positions are its operation's `gpu-queue` steps.
    const positions: number[] = [];
    const op = ben.fx.core.ops.create(`${run}-wait`);
    const off = ben.fx.core.bus.on('operationStep', (s) => {
      if (s.opId === op.id && s.step === 'gpu-queue') positions.push(Number(/^position (\d+) of \d+ in the GPU queue of /.exec(s.detail ?? '')?.[1]));
    });
    onTestFinished(off);
    const grant = ben.fx.core.gpus.claim(ana.target, { count: 1 }, waiting, image, op, { pollMs: 300 });
    await eventually(async () => positions.length > 0, 20_000, 'the claim to join the queue');
    expect(positions[0]).toBe(1);
    const board = await ana.fx.core.gpus.board(ana.target);
    expect(board.agent.running).toBe(true);
    expect(board.queue.find((e) => e.sessionId === waiting)).toMatchObject({ holder: ben.fx.core.owner.name, mine: false, count: 1 });
    expect(board.cards.filter((c) => c.lease?.sessionId === hog).every((c) => c.lease?.mine)).toBe(true);
    await ana.fx.core.gpus.releaseOwn(ana.target, hog);
    expect(await grant).toHaveLength(1);
    await ben.fx.core.gpus.release(waiting, ana.target);
  }, 90_000);

  it('the policy set by the admin is stored on the host and obeyed by everyone: QUOTA_EXCEEDED past the GPUs per user', async () => {
    const before = await ana.fx.core.gpus.policy(ana.target);
    try {
      const set = await ana.fx.core.gpus.setPolicy(ana.target, { maxGpusPerUser: 1, maxLeaseHours: 2 });
      expect(set).toMatchObject({ maxGpusPerUser: 1, maxLeaseHours: 2, leaseHours: 2, setBy: ana.fx.core.owner.name });
      expect(await ben.fx.core.gpus.policy(ana.target)).toMatchObject({ maxGpusPerUser: 1, maxLeaseHours: 2 });
      await expect(ben.fx.core.gpus.claim(ana.target, { count: 2 }, `${run}-greedy`, image)).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
      await expect(ben.fx.core.gpus.claim(ana.target, { count: 1, hours: 3 }, `${run}-long`, image)).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', message: expect.stringContaining('at most 2 hours') });
      await expect(ana.fx.core.gpus.setPolicy(ana.target, { leaseHours: 5, maxLeaseHours: 4 })).rejects.toMatchObject({ code: 'POLICY_INVALID' });
    } finally {
      await ana.fx.core.gpus.setPolicy(ana.target, { maxGpusPerUser: before.maxGpusPerUser, leaseHours: before.leaseHours, maxLeaseHours: before.maxLeaseHours });
    }
  }, 60_000);
});
