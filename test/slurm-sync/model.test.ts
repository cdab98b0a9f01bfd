/**
 * The randomized sync model (test/sync/model-core.ts) against the Slurm cluster's folder kind: the
 * project's notebooks sync with a folder on the cluster's shared file system over the login node's
 * SSH connection. The remote side is read and changed by a python3 run on the login node as the
 * cluster user, over the core's own SSH connection (as a notebook in a job would change the files);
 * its trash is `<folder>/.benchtop/trash`. Syncs are plain, confirmed, cut off by dropping the SSH
 * connection, or run in a child process killed with SIGKILL mid-way.
 *
 * The folder kind's own faults, beside the local notebooks folder moved away and back: the cluster
 * folder moved away and back (SYNC_ROOT_MISSING meanwhile), its marker removed (the folder removed
 * and made again: SYNC_VOLUME_CHANGED, or SYNC_ROOT_MISSING when nothing else is left in it), and
 * the project renamed (its sessions then use another folder: SYNC_VOLUME_CHANGED). A sync after a
 * SYNC_VOLUME_CHANGED adopts the sessions' folder, as the error's hint offers (both sides merge,
 * nothing is deleted); each check is made on the folder its sync was pointed at.
 *
 * CI: 200 sequences, fixed seed (about 30-45 s). `BENCHTOP_SOAK=N` runs N with a random seed;
 * `BENCHTOP_SYNC_SEED=S` replays a seed; the seed is printed either way. `BENCHTOP_MODEL_TRACE=1`
 * prints every sequence, how its sync ended and what it moved.
 *
 * It found a real bug: a file renamed over another of the same size whose mtime was the same to the
 * nanosecond (both written by one sync's apply step, within one tick of the kernel's coarse clock)
 * kept the old file's stamp, so the next sync took it as unchanged and the sides stayed different
 * (seed 20261202, sequence 107). The stamp is now mtime_ns:inode on both sides.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchtopError } from '../../src/main/core/errors';
import { DONE_MARKER, execIn } from '../../src/main/core/sync/container-exec';
import { SshFolderHost } from '../../src/main/core/sync/ssh-folder-host';
import { FOLDER_OPS, KilledSyncs, ModelListings, modelRunSize, modelSequences, REMOTE_SCRIPT, runModel, type Listing, type RemoteOp, type Sequence } from '../sync/model-core';
import { clusterOrSkip, folderFixture, type FolderFixture } from './support';

const { env, skip } = clusterOrSkip();
const { SEQUENCES, SEED } = modelRunSize(200, 20261202);

describe.skipIf(!!skip)('model-based randomized sync (Slurm cluster folder)', () => {
  let f: FolderFixture;
  let p: Awaited<ReturnType<FolderFixture['project']>>;
  /** The project's name now (renames change the folder its sessions use). */
  let name = '';
  beforeAll(async () => {
    f = await folderFixture(env!);
    p = await f.project();
    name = p.name;
  }, 120_000);
  afterAll(async () => {
    killed.close();
    // The folders of the renamed project (and any parked one) sit beside the first: all start with its name.
    if (p) await f.login(`rm -rf '${f.user.sharedDir}/${p.name}'*`).catch(() => undefined);
    await f?.close();
  }, 60_000);

  const listings = new ModelListings();
  /** The remote side as the sync reaches it: ssh execs on the core's one connection to the login node. */
  const host = new SshFolderHost('model test', 'model-test', () => f.core.hosts.connection(f.target).client());
  /** One python3 run in `folder` on the login node: its listing, `ops`, its listing again. */
  const inFolder = async (folder: string, ops: RemoteOp[]): Promise<{ before: Listing; after: Listing }> => {
    const out = await execIn(host, ['python3', '-S', '-c', REMOTE_SCRIPT, folder, JSON.stringify(ops)], undefined, undefined, DONE_MARKER, (send) => send(listings.known()));
    if (out.exitCode !== 0) throw new Error(`the operations in ${folder} on the cluster failed (${out.exitCode}): ${out.stderr}`);
    return listings.parseRun(out.stdout);
  };

  /** How the last sync ended: after SYNC_VOLUME_CHANGED the next one adopts the sessions' folder. */
  let lastOutcome = '';
  let lastMode = '';
  /** The folder the next sync adopts (undefined: it syncs with the recorded one). */
  let adopting: string | undefined;
  /** The folder the last sync was pointed at: its check lists that one. */
  let lastFolder: string | undefined;

  /**
   * Lists the folder the last sync used (for its check), applies the operations in the folder the
   * project's sessions use now (where a job's notebook writes), and lists the folder the next sync
   * will use. Mostly these are one folder and one exec; after a rename they differ.
   */
  const remote = async (ops: RemoteOp[], next?: Sequence) => {
    const sessions = await f.core.slurm.notebooksFolder(f.target, name);
    const recorded = (await f.core.sync.recordedVolume(p.dir, f.target))?.name;
    adopting = next && next.mode !== 'kill' && lastOutcome === 'SYNC_VOLUME_CHANGED' ? sessions : undefined;
    const checkFolder = lastFolder ?? sessions;
    const syncFolder = adopting ?? recorded ?? sessions;
    lastFolder = syncFolder;
    const here = await inFolder(sessions, ops);
    const checked = checkFolder === sessions ? here.before : (await inFolder(checkFolder, [])).before;
    const after = syncFolder === sessions ? here.after : syncFolder === checkFolder ? checked : (await inFolder(syncFolder, [])).before;
    return { before: checked, after };
  };

  const settingsDir = () => join(f.home, 'settings');
  /** The fixture core's environment (its own HOME, known_hosts and ssh config), for the child syncs. */
  const childEnv = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, HOME: f.home, BENCHTOP_KNOWN_HOSTS: join(f.home, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(f.home, 'ssh_config'), BENCHTOP_FORWARDER: 'off' };
    delete e.SSH_AUTH_SOCK;
    return e;
  };
  const killed = new KilledSyncs(() => [settingsDir(), p.dir, f.target, ''], childEnv);

  let op = 0;
  /** How the adopting syncs ended (printed: the model must reach that path, not only its refusals). */
  const adopted: Record<string, number> = {};
  const sync = async (seq: Sequence): Promise<string> => {
    const outcome = await syncOnce(seq);
    if (adopting) adopted[outcome] = (adopted[outcome] ?? 0) + 1;
    lastOutcome = outcome;
    lastMode = seq.mode;
    return outcome;
  };
  async function syncOnce({ mode, delayMs }: Sequence): Promise<string> {
    if (mode === 'kill') return killed.run(delayMs);
    // The cut lands at delayMs whether the sync is still running or not; the sync waits for it, so
    // a quick sync's cut never falls on the test's own exec instead.
    const cut = mode === 'cut'
      ? new Promise<void>((resolve) => setTimeout(() => void f.core.hosts.connection(f.target).client().then((c) => c.destroy(), () => undefined).finally(resolve), delayMs))
      : undefined;
    try {
      const result = await f.core.sync.sync(f.core.ops.create(`model-${(op += 1)}`), { projectDir: p.dir, target: f.target, confirmDeletes: mode === 'confirm', adoptVolume: adopting });
      if (process.env.BENCHTOP_MODEL_TRACE === '1') console.log(`sync model trace: ${JSON.stringify(result)}`);
      return 'ok';
    } catch (error) {
      if (!(error instanceof BenchtopError)) throw error; // every failure of a sync is a coded one
      // A failure with no fault injected is printed: the model's outcomes say only its code.
      if (mode !== 'cut' && error.code === 'SYNC_FAILED') console.log(`sync model (cluster folder): ${mode} sync ${op} (the one before: ${lastMode}) failed: ${error.message}`);
      return error.code;
    } finally {
      if (cut) await cut;
    }
  }

  it(`keeps every file version through ${SEQUENCES} random sequences (seed ${SEED})`, async () => {
    console.log(`sync model (cluster folder): seed ${SEED}, ${SEQUENCES} sequences (replay: BENCHTOP_SYNC_SEED=${SEED}; longer soak: BENCHTOP_SOAK=N)`);
    const sequences = modelSequences(SEED, SEQUENCES, FOLDER_OPS);
    if (sequences.some((seq) => seq.mode === 'kill')) killed.prepare();
    const counts = await runModel({
      seed: SEED, sequences, projectDir: p.dir, notebooks: join(p.dir, 'notebooks'), listings,
      // The project's folder on the cluster is named after it: every renamed one starts with the first name (see afterAll).
      renamed: (version) => (name = `${p.name} renamed ${version}`),
      remote, sync,
    });
    console.log(`sync model (cluster folder): syncs that adopted the sessions' folder after SYNC_VOLUME_CHANGED: ${JSON.stringify(adopted)}`);
    expect(Object.keys(counts).some((k) => k.startsWith('plain:ok'))).toBe(true);
    expect(adopted.ok ?? 0).toBeGreaterThan(0);
  }, 20 * 60_000);
});
