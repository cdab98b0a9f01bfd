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
 * `BENCHTOP_SYNC_SEED=S` replays a seed. The seed is printed either way.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchtopError } from '../../src/main/core/errors';
import { execIn } from '../../src/main/core/sync/container-exec';
import { NOTEBOOKS_ROOT } from '../../src/main/core/sync/remote-tree';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { testEnv } from '../support/env';
import { SESSION_USER, syncFixture, type SyncFixture } from './support';

const ready = existsSync(new URL('../../.test-env/ssh-host.json', import.meta.url)) && existsSync(new URL('../../.test-env/env.json', import.meta.url));
const root = new URL('../..', import.meta.url).pathname;
const soak = Number(process.env.BENCHTOP_SOAK ?? 0);
const SEQUENCES = soak > 0 ? soak : 200;
const SEED = Number(process.env.BENCHTOP_SYNC_SEED ?? (soak > 0 ? Math.floor(Math.random() * 2 ** 31) : 20261123));

type Side = 'local' | 'remote';
type Op =
  | { kind: 'create'; side: Side; folder: number; name: number }
  | { kind: 'edit'; side: Side; pick: number }
  | { kind: 'delete'; side: Side; pick: number }
  | { kind: 'renameFile'; side: Side; pick: number; folder: number; name: number }
  | { kind: 'renameFolder'; side: Side; folder: number; to: number }
  | { kind: 'moveAway' }
  | { kind: 'moveBack' }
  | { kind: 'renameProject' };
type SyncMode = 'plain' | 'confirm' | 'cut' | 'kill';

const FOLDERS = ['', 'a/', 'a/b/', 'c/'];
const NAMES = ['x.ipynb', 'y.ipynb', 'z.txt', 'Über.ipynb', 'w.ipynb'];
const side = fc.constantFrom<Side>('local', 'remote');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('create' as const), side, folder: fc.nat(3), name: fc.nat(4) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), side, pick: fc.nat(50) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), side, pick: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('renameFile' as const), side, pick: fc.nat(50), folder: fc.nat(3), name: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renameFolder' as const), side, folder: fc.integer({ min: 1, max: 3 }), to: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'moveAway' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'moveBack' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'renameProject' as const }) },
);
const syncMode = fc.oneof(
  { weight: 14, arbitrary: fc.constant<SyncMode>('plain') },
  { weight: 3, arbitrary: fc.constant<SyncMode>('confirm') },
  { weight: 2, arbitrary: fc.constant<SyncMode>('cut') },
  { weight: 1, arbitrary: fc.constant<SyncMode>('kill') },
);
const sequence = fc.record({ ops: fc.array(op, { minLength: 1, maxLength: 6 }), mode: syncMode, delayMs: fc.nat(400) });

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** path → sha256 of every file under `dir` (relative, POSIX). */
async function localFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string, prefix: string) => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return; // moved away: that side holds nothing now
    }
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`);
      else if (e.isFile()) out.set(prefix + e.name, sha(await readFile(join(d, e.name))));
    }
  };
  await walk(dir, '');
  return out;
}

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

  /** Runs a script in the volume as the session's user; prints `sha256  path` of every file, notebooks and trash. */
  const remoteRun = async (script: string): Promise<{ notebooks: Map<string, string>; trash: Set<string> }> => {
    const c = await f.session();
    const list = 'find . -type f ! -path "./.benchtop-sync/*" -print0 | xargs -0 -r sha256sum -z';
    const out = await execIn(c, ['sh', '-c', `cd ${NOTEBOOKS_ROOT} && { ${script || ':'}; } >/dev/null 2>&1; ${list}`], undefined, SESSION_USER);
    const notebooks = new Map<string, string>();
    const trash = new Set<string>();
    for (const line of out.stdout.toString('utf8').split('\0')) {
      if (line.length < 67) continue;
      const [hash, path] = [line.slice(0, 64), line.slice(68)];
      if (path.startsWith('.benchtop/trash/')) trash.add(hash);
      else if (!path.startsWith('.benchtop/')) notebooks.set(path, hash);
    }
    return { notebooks, trash };
  };

  it(`keeps every file version through ${SEQUENCES} random sequences (seed ${SEED})`, async () => {
    console.log(`sync model: seed ${SEED}, ${SEQUENCES} sequences (replay: BENCHTOP_SYNC_SEED=${SEED}; longer soak: BENCHTOP_SOAK=N)`);
    const sequences = fc.sample(sequence, { seed: SEED, numRuns: SEQUENCES });
    const parked = `${f.notebooks}.parked`;
    let away = false;
    let version = 0;
    let remote = await remoteRun('');
    const counts: Record<string, number> = {};
    for (const [index, seq] of sequences.entries()) {
      const where = `sequence ${index} (seed ${SEED}): ${JSON.stringify(seq)}`;
      // 1. The operations: local ones directly, remote ones batched into one script.
      const localNow = await localFiles(f.notebooks);
      const script: string[] = [];
      const remoteNames = [...remote.notebooks.keys()].sort();
      const localNames = [...localNow.keys()].sort();
      for (const o of seq.ops) {
        version += 1;
        const content = `v${version} ${o.kind}\n`;
        if (o.kind === 'moveAway') {
          if (!away && existsSync(f.notebooks)) {
            await rename(f.notebooks, parked);
            away = true;
          }
        } else if (o.kind === 'moveBack') {
          if (away) {
            await rm(f.notebooks, { recursive: true, force: true });
            await rename(parked, f.notebooks);
            away = false;
          }
        } else if (o.kind === 'renameProject') {
          const path = join(f.dir, '.devcontainer', 'devcontainer.json');
          await writeFile(path, (await readFile(path, 'utf8')).replace(/"name":\s*"[^"]*"/, `"name": "renamed ${version}"`));
        } else if (o.side === 'local') {
          if (away) continue;
          const names = localNames;
          const file = names.length ? names[('pick' in o ? o.pick : 0) % names.length] : undefined;
          if (o.kind === 'create') {
            const path = join(f.notebooks, FOLDERS[o.folder] + NAMES[o.name]);
            await mkdir(dirname(path), { recursive: true }).catch(() => undefined); // a file may sit where the folder would go
            await writeFile(path, content).catch(() => undefined);
          } else if (o.kind === 'edit' && file) await writeFile(join(f.notebooks, file), content);
          else if (o.kind === 'delete' && file) await rm(join(f.notebooks, file), { force: true });
          else if (o.kind === 'renameFile' && file) {
            const to = join(f.notebooks, FOLDERS[o.folder] + NAMES[o.name]);
            await mkdir(dirname(to), { recursive: true }).catch(() => undefined);
            await rename(join(f.notebooks, file), to).catch(() => undefined);
          } else if (o.kind === 'renameFolder') {
            await rename(join(f.notebooks, FOLDERS[o.folder]), join(f.notebooks, `${FOLDERS[o.to].slice(0, -1)}-moved`)).catch(() => undefined);
          }
        } else {
          const file = remoteNames.length ? remoteNames[('pick' in o ? o.pick : 0) % remoteNames.length] : undefined;
          if (o.kind === 'create') script.push(`mkdir -p ${q(FOLDERS[o.folder] || '.')} && printf %s ${q(content)} > ${q(FOLDERS[o.folder] + NAMES[o.name])}`);
          else if (o.kind === 'edit' && file) script.push(`printf %s ${q(content)} > ${q(file)}`);
          else if (o.kind === 'delete' && file) script.push(`rm -f ${q(file)}`);
          else if (o.kind === 'renameFile' && file) script.push(`mkdir -p ${q(FOLDERS[o.folder] || '.')} && mv -f ${q(file)} ${q(FOLDERS[o.folder] + NAMES[o.name])}`);
          else if (o.kind === 'renameFolder') script.push(`mv ${q(FOLDERS[o.folder].slice(0, -1))} ${q(`${FOLDERS[o.to].slice(0, -1)}-moved`)}`);
        }
      }
      remote = await remoteRun(script.join('; '));
      const before = new Set([...(await localFiles(f.notebooks)).values(), ...remote.notebooks.values()]);

      // 2. One sync, in the way this sequence says.
      const outcome = await runSync(seq.mode, seq.delayMs);
      counts[`${seq.mode}:${outcome}`] = (counts[`${seq.mode}:${outcome}`] ?? 0) + 1;

      // 3. The invariant.
      remote = await remoteRun('');
      const localAfter = await localFiles(f.notebooks);
      const kept = new Set([...localAfter.values(), ...remote.notebooks.values(), ...remote.trash, ...(await localFiles(join(f.dir, '.benchtop', 'trash'))).values()]);
      const lost = [...before].filter((h) => !kept.has(h));
      expect(lost, `lost versions after ${where}`).toEqual([]);
      if (outcome === 'ok') {
        expect(Object.fromEntries([...localAfter].sort()), `sides differ after a completed sync in ${where}`).toEqual(Object.fromEntries([...remote.notebooks].sort()));
      }
    }
    console.log(`sync model outcomes: ${JSON.stringify(counts)}`);
    expect(Object.keys(counts).some((k) => k.startsWith('plain:ok'))).toBe(true);
  }, 30 * 60_000);

  let op = 0;
  /** One sync; says how it ended ('ok', or the error code). */
  async function runSync(mode: SyncMode, delayMs: number): Promise<string> {
    const containerId = (await f.session()).id;
    if (mode === 'kill') {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/sync/child-sync.ts'), join(fx.dir, 'settings'), f.dir, target, containerId],
        { env: fx.env, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        // Killed at a random point once it is syncing (scanning, moving files, or deleting).
        if (out.includes('"progress"')) setTimeout(() => child.kill('SIGKILL'), delayMs % 150);
      });
      await new Promise((resolve) => child.once('exit', resolve));
      return out.includes('"result"') ? 'ok-before-kill' : 'killed';
    }
    if (mode === 'cut') setTimeout(() => void fx.core.hosts.connection(target).client().then((c) => c.destroy()), delayMs);
    try {
      await f.core.sync.sync({ opId: `model-${(op += 1)}`, projectDir: f.dir, target, containerId, image: f.image, confirmDeletes: mode === 'confirm' });
      return 'ok';
    } catch (error) {
      return (error as BenchtopError).code ?? 'error';
    } finally {
      if (mode === 'cut') await new Promise((resolve) => setTimeout(resolve, Math.max(0, 450 - delayMs))); // let the cut land before the next step
    }
  }
});
