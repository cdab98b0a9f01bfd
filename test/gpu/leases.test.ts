import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService } from '../../src/main/core/engine/service';
import { leaseContainerName } from '../../src/main/core/gpu/lease-labels';
import { interpretNvidiaSmi } from '../../src/main/core/gpu/nvidia-smi';
import { GpuService } from '../../src/main/core/gpu/service';
import type { GpuLease } from '../../src/shared/contract/hosts';
import { buildTinyImage, removeImage } from './tiny-image';
import { runCli } from '../support/cli';

/**
 * One file, run in order: reap frees stale leases of anyone on the engine, so tests that make stale
 * leases must not run beside each other.
 *
 * This machine has no GPU, so the inventory comes from a recorded 4× A100 nvidia-smi output (with
 * fresh UUIDs, so parallel runs never share lease names). Everything else is the real engine.
 */
const csv = readFileSync(new URL('../fixtures/nvidia-smi/a100x4-driver-550.csv', import.meta.url), 'utf8')
  .replace(/GPU-[0-9a-f-]{36}/g, () => `GPU-${randomUUID()}`);
const uuids = [...csv.matchAll(/GPU-[0-9a-f-]{36}/g)].map((m) => m[0]);
const run = randomBytes(3).toString('hex');
const engines = new EngineService();
const now = Date.now();
/** Leases of this run only: reap frees stale leases of anyone on the engine. */
const ours = <T extends { sessionId: string }>(list: T[]) => list.filter((l) => l.sessionId.includes(run));
type Deps = Partial<ConstructorParameters<typeof GpuService>[0]>;
const gpus = (deps: Deps = {}) =>
  new GpuService({ engines, clock: { now: () => now }, localProbe: async () => interpretNvidiaSmi({ stdout: csv, stderr: '', exitCode: 0 }), ...deps });
/** A holder is an install of its own (its own owner id), as two teammates' laptops are. */
const as = (holder: string, deps: Deps = {}) => gpus({ owner: { id: `install-${holder}-${run}`, name: holder }, ...deps });
let image = '';

const execFileAsync = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'bt-test-gpus-cli-'));

const benchtop = (args: string[]) => runCli('bundle', args, { env: { BENCHTOP_HOME: home }, timeout: 20_000 });

beforeAll(async () => {
  image = buildTinyImage();
  await execFileAsync(process.execPath, [join(root, 'scripts/build-cli.mjs')]);
});

afterAll(() => {
  for (const uuid of uuids) {
    try {
      execFileSync('docker', ['rm', '-f', leaseContainerName(uuid)], { stdio: 'ignore' });
    } catch {
      // not leased at the end
    }
  }
  execFileSync('sh', ['-c', `docker ps -aq --filter name=bt-test-session-${run} | xargs -r docker rm -f`], { stdio: 'ignore' });
  removeImage(image);
});

describe('GPU leases on the real engine', () => {
  it('lets exactly one of two concurrent claims for the same GPU win; the loser learns who holds it', async () => {
    const [a, b] = await Promise.allSettled([
      as('ana@ws-1').claim('local', { ids: [uuids[0]] }, `s-a-${run}`, image),
      as('ben@ws-2').claim('local', { ids: ['0'] }, `s-b-${run}`, image),
    ]);
    const won = [a, b].filter((r) => r.status === 'fulfilled');
    const lost = [a, b].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect((won[0] as PromiseFulfilledResult<string[]>).value).toEqual([uuids[0]]);
    const winner = a.status === 'fulfilled' ? 'ana@ws-1' : 'ben@ws-2';
    expect(lost[0].reason).toMatchObject({ code: 'GPU_BUSY', message: expect.stringContaining(`${uuids[0]} is held by ${winner}`) });
    const leases = await gpus().list('local');
    expect(leases.filter((l) => l.gpu === uuids[0])).toEqual([expect.objectContaining({ holder: winner, host: 'local' })]);
    await gpus().release(a.status === 'fulfilled' ? `s-a-${run}` : `s-b-${run}`);
  });

  it('claims all or nothing, never the same card twice, and refuses more GPUs than the host has', async () => {
    const svc = gpus();
    const first = await as('ana@ws-1').claim('local', { count: 2, idleMinutes: 30 }, `s-c-${run}`, image);
    expect(first).toHaveLength(2);
    await expect(as('ben@ws-2').claim('local', { count: 3 }, `s-d-${run}`, image)).rejects.toMatchObject({ code: 'GPU_BUSY' });
    // The failed claim left nothing behind: its two would-be cards are still free.
    expect((await svc.list('local')).filter((l) => uuids.includes(l.gpu)).map((l) => l.sessionId)).toEqual([`s-c-${run}`, `s-c-${run}`]);
    const second = await as('ben@ws-2').claim('local', { count: 2 }, `s-d-${run}`, image);
    expect(new Set([...first, ...second]).size).toBe(4);
    await expect(as('cy@ws-3').claim('local', { count: 1 }, `s-e-${run}`, image)).rejects.toMatchObject({
      code: 'GPU_BUSY', message: expect.stringMatching(/held by (ana@ws-1|ben@ws-2)/),
    });
    await expect(as('cy@ws-3').claim('local', { count: 5 }, `s-e-${run}`, image)).rejects.toMatchObject({
      code: 'GPU_UNAVAILABLE', message: 'The session asks for 5 GPUs but local has 4.',
    });
    // Claiming again for the same session is harmless.
    expect(await as('ana@ws-1').claim('local', { ids: first }, `s-c-${run}`, image)).toEqual(first);
    const mine = (await svc.list('local')).filter((l) => l.sessionId === `s-c-${run}`);
    expect(mine.map((l) => l.idleMinutes)).toEqual([30, 30]);
    expect((await svc.release(`s-c-${run}`)).sort()).toEqual([...first].sort());
    expect((await svc.release(`s-d-${run}`)).sort()).toEqual([...second].sort());
    expect((await svc.list('local')).filter((l) => uuids.includes(l.gpu))).toEqual([]);
  });

  it('refuses a GPU the host does not have, naming the ones it has', async () => {
    await expect(as('ana@ws-1').claim('local', { ids: ['7'] }, `s-f-${run}`, image)).rejects.toMatchObject({
      code: 'GPU_UNAVAILABLE', message: expect.stringContaining(`has no GPU "7" (it has 0 ${uuids[0]}`),
    });
  });

  it('says the session image is missing rather than failing obscurely', async () => {
    await expect(as('ana@ws-1').claim('local', { count: 1 }, `s-g-${run}`, `bt-test-absent-${run}:1`)).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
  });

  it('reap frees the cards of a session whose container stopped, and keeps those of running sessions', async () => {
    const session = `bt-test-session-${run}`;
    execFileSync('docker', ['run', '-d', '--name', session, image]);
    const svc = gpus();
    const held = await as('ana@ws-1').claim('local', { count: 1 }, session, image);
    expect(ours(await svc.reap('local'))).toEqual([]);
    execFileSync('docker', ['stop', '-t', '0', session]);
    const freed = ours(await svc.reap('local'));
    expect(freed).toEqual([expect.objectContaining({ gpu: held[0], sessionId: session, holder: 'ana@ws-1' })]);
    expect((await svc.list('local')).filter((l) => l.sessionId === session)).toEqual([]);
  });

  it('a claim frees cards held by stopped sessions before giving up', async () => {
    const stopped = `bt-test-session-${run}-stopped`;
    execFileSync('docker', ['run', '--name', stopped, image, '/bin/true']); // ran, then exited
    const svc = gpus();
    try {
      const all = await as('ana@ws-1').claim('local', { count: 4 }, stopped, image);
      const [card] = await as('ben@ws-2').claim('local', { count: 1 }, `s-i-${run}`, image);
      expect(all).toContain(card);
      expect(ours(await svc.list('local')).map((l) => l.sessionId)).toEqual([`s-i-${run}`]);
    } finally {
      execFileSync('docker', ['rm', '-f', stopped]);
      await svc.release(stopped);
      await svc.release(`s-i-${run}`);
    }
  });

  it('reap gives a session that does not exist yet a grace period, then frees its cards', async () => {
    const svc = gpus();
    const sessionId = `bt-test-session-${run}-never`;
    await as('ana@ws-1').claim('local', { count: 1 }, sessionId, image);
    expect(ours(await svc.reap('local'))).toEqual([]);
    // The grace is counted on the engine's clock from the lease's creation: past it, the card is freed.
    expect(ours(await gpus({ setupGraceMs: 0 }).reap('local')).map((l) => l.sessionId)).toEqual([sessionId]);
  });

  it('on this computer, with no NVIDIA GPU, a claim says so', async () => {
    await expect(as('ana@ws-1', { localProbe: undefined, env: { PATH: '/nonexistent' } }).claim('local', { count: 1 }, `s-h-${run}`, image)).rejects.toMatchObject({
      code: 'GPU_UNAVAILABLE', message: 'local has no NVIDIA GPU.',
    });
  });
});

describe('benchtop gpus', () => {
  const session = `bt-test-gpus-${run}`;
  const svc = gpus();
  let uuid = '';
  beforeAll(async () => {
    // Another process (the app on a teammate's machine) leased a card; this CLI has no GPU to list.
    [uuid] = await as('ana@ws-1').claim('local', { count: 1, idleMinutes: 45 }, session, image);
  });
  afterAll(async () => {
    await svc.release(session);
  });

  it('says this computer has no NVIDIA GPU and still shows leases held on its engine', async () => {
    const { code, stdout } = await benchtop(['gpus']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No NVIDIA GPU on local \(nvidia-smi is not installed\)\.$/m);
    expect(stdout).toMatch(/^GPU +NAME +UTIL +MEMORY +HOLDER +SESSION +SINCE +EXPIRES$/m);
    expect(stdout).toMatch(new RegExp(`^\\? +${uuid} \\(not listed by nvidia-smi\\) +ana@ws-1 +${session} +\\d\\d:\\d\\d +\\d\\d:\\d\\d$`, 'm'));
  });

  it('--json gives the board: cards, leases with their expiry, the queue and why no GPU was listed', async () => {
    const { code, stdout } = await benchtop(['gpus', '--json']);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as { target: string; cards: unknown[]; orphanLeases: GpuLease[]; queue: unknown[]; problem: string };
    expect(answer).toMatchObject({ target: 'local', cards: [], queue: [], problem: 'nvidia-smi is not installed' });
    const [lease] = answer.orphanLeases.filter((l) => l.sessionId === session);
    expect(lease).toMatchObject({ host: 'local', gpu: uuid, holder: 'ana@ws-1', sessionId: session, idleMinutes: 45, kind: 'session', mine: false });
    // A lease lasts the host policy's default (8 h) from its creation, on the engine's clock.
    expect(Date.parse(lease.expires!) - Date.parse(lease.since)).toBe(8 * 3600_000);
  });

  it('exits 2 with HOST_NOT_FOUND for a target that was never added', async () => {
    const { code, stdout } = await benchtop(['gpus', '--target', 'no-such-host', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'HOST_NOT_FOUND' } });
    expect(code).toBe(2);
  });

  it('--reap frees the GPUs of a session that is gone and says whose they were', async () => {
    const gone = `${session}-gone`;
    // A lease of a session whose container ran and exited.
    execFileSync('docker', ['run', '--name', gone, image, '/bin/true']);
    const [card] = await as('ben@ws-2').claim('local', { count: 1 }, gone, image);
    const { code, stdout } = await benchtop(['gpus', '--reap']).finally(() => execFileSync('docker', ['rm', '-f', gone]));
    expect(code).toBe(0);
    expect(stdout).toContain(`Freed ${card} (held by ben@ws-2 for session ${gone}, which is no longer running).`);
    const left = await svc.list('local');
    expect(left.filter((l) => l.gpu === card)).toEqual([]);
    // A lease just taken keeps its card while its session is being set up.
    expect(left.filter((l) => l.gpu === uuid)).toHaveLength(1);
  });
});
