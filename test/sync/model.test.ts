/**
 * Model-based randomized sync test against the real SSH host. One project, one volume and one
 * long-lived stand-in session container for the whole run (every step stays cheap); fast-check
 * generates the sequences from a seed. Each sequence: a few operations on both sides (create, edit,
 * delete, rename a file or a folder, move the notebooks folder away and back, rename the project),
 * then one sync — plain, confirmed, cut off by dropping the SSH connection, or run in a child
 * process that is killed with SIGKILL mid-way. After every sync the invariant is checked:
 *   every file version that existed on either side before the sync is afterwards in a notebooks
 *   folder (conflict copies included) or in a trash;
 * and after a sync that completed, both notebooks folders hold exactly the same files.
 *
 * CI: 200 sequences, fixed seed. `BENCHTOP_SOAK=N` runs N sequences with a random seed;
 * `BENCHTOP_SYNC_SEED=S` replays a seed. The seed is printed either way. The model itself (the
 * operations, the listings, the loop and its check) is model-core.ts, shared with the Slurm
 * cluster folder's run (test/slurm-sync/model.test.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchtopError } from '../../src/main/core/errors';
import { DONE_MARKER, execIn } from '../../src/main/core/sync/container-exec';
import { NOTEBOOKS_ROOT } from '../../src/main/core/sync/remote-tree';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { testEnv } from '../support/env';
import { KilledSyncs, ModelListings, modelRunSize, modelSequences, REMOTE_SCRIPT, runModel, type RemoteOp, type SyncMode } from './model-core';
import { SESSION_USER, syncFixture, type SyncFixture } from './support';

const ready = existsSync(new URL('../../.test-env/ssh-host.json', import.meta.url)) && existsSync(new URL('../../.test-env/env.json', import.meta.url));
const { SEQUENCES, SEED } = modelRunSize(200, 20261123);

describe.skipIf(!ready)('model-based randomized sync (SSH host)', () => {
  let fx: HostsFixture;
  let target = '';
  let f: SyncFixture;

  beforeAll(async () => {
    const env = testEnv();
    const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
    ({ fx, target } = await sshHostFixture(image));
    f = await syncFixture({ image, core: fx.core, target });
  });
  afterAll(async () => {
    await f?.cleanup();
    await fx?.close();
  });

  const listings = new ModelListings();
  /** The model's remote round: one python3 run in the volume as the session's user (what Jupyter would do). */
  const remoteRun = async (ops: RemoteOp[]) => {
    const c = await f.session();
    const out = await execIn(c, ['python3', '-S', '-c', REMOTE_SCRIPT, NOTEBOOKS_ROOT, JSON.stringify(ops)], undefined, SESSION_USER, DONE_MARKER, (send) => send(listings.known()));
    if (out.exitCode !== 0) throw new Error(`the remote operations failed (${out.exitCode}): ${out.stderr}`);
    return listings.parseRun(out.stdout);
  };

  it(`keeps every file version through ${SEQUENCES} random sequences (seed ${SEED})`, async () => {
    console.log(`sync model: seed ${SEED}, ${SEQUENCES} sequences (replay: BENCHTOP_SYNC_SEED=${SEED}; longer soak: BENCHTOP_SOAK=N)`);
    const sequences = modelSequences(SEED, SEQUENCES);
    containerId = (await f.session()).id;
    if (sequences.some((seq) => seq.mode === 'kill')) killed.prepare();
    const counts = await runModel({
      seed: SEED, sequences, projectDir: f.dir, notebooks: f.notebooks, listings,
      renamed: (version) => `renamed ${version}`,
      remote: (ops) => remoteRun(ops),
      sync: (seq) => runSync(seq.mode, seq.delayMs),
    });
    expect(Object.keys(counts).some((k) => k.startsWith('plain:ok'))).toBe(true);
  }, 30 * 60_000);

  /** Syncs in a child process killed with SIGKILL, through the stand-in session's container. */
  let containerId = '';
  const killed = new KilledSyncs(() => [join(fx.dir, 'settings'), f.dir, target, containerId], () => fx.env);
  afterAll(() => killed.close());

  let op = 0;
  /** One sync; says how it ended ('ok', or the error code). */
  async function runSync(mode: SyncMode, delayMs: number): Promise<string> {
    containerId = (await f.session()).id;
    if (mode === 'kill') return killed.run(delayMs);
    // The cut lands at delayMs whether the sync is still running or not; the next step waits for it,
    // so a quick sync's cut never falls on the test's own exec instead.
    const cut = mode === 'cut'
      ? new Promise<void>((resolve) => setTimeout(() => void fx.core.hosts.connection(target).client().then((c) => c.destroy(), () => undefined).finally(resolve), delayMs))
      : undefined;
    try {
      await f.core.sync.sync(f.core.ops.create(`model-${(op += 1)}`), { projectDir: f.dir, target, containerId, image: f.image, confirmDeletes: mode === 'confirm' });
      return 'ok';
    } catch (error) {
      return (error as BenchtopError).code ?? 'error';
    } finally {
      if (cut) await cut;
    }
  }
});
