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
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchtopError } from '../../src/main/core/errors';
import { DONE_MARKER, execIn } from '../../src/main/core/sync/container-exec';
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
  // Back more often than away: a sequence with the folder away only proves SYNC_ROOT_MISSING again.
  { weight: 5, arbitrary: fc.constant({ kind: 'moveBack' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'renameProject' as const }) },
);
const syncMode = fc.oneof(
  { weight: 14, arbitrary: fc.constant<SyncMode>('plain') },
  { weight: 3, arbitrary: fc.constant<SyncMode>('confirm') },
  { weight: 2, arbitrary: fc.constant<SyncMode>('cut') },
  { weight: 1, arbitrary: fc.constant<SyncMode>('kill') },
);
// Several operations per sync: the sync is the expensive step, so each one gets more to carry.
const sequence = fc.record({ ops: fc.array(op, { minLength: 2, maxLength: 8 }), mode: syncMode, delayMs: fc.nat(400) });

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

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

  type Listing = { notebooks: Map<string, string>; trash: Set<string> };
  /**
   * Hashes of kept versions by path. A trash entry never changes once made (its batch is one sync's),
   * so each is hashed once; the listings still say which are there every time.
   */
  const remoteTrash = new Map<string, string>();
  const localTrash = new Map<string, string>();
  const KNOWN = '-'.repeat(64);
  const parseListing = (text: string): Listing => {
    const notebooks = new Map<string, string>();
    const trash = new Set<string>();
    for (const line of text.split('\0')) {
      if (line.length < 67) continue;
      const [hash, path] = [line.slice(0, 64), line.slice(68)];
      if (path.startsWith('.benchtop/trash/')) {
        if (hash !== KNOWN) remoteTrash.set(path, hash);
        const known = remoteTrash.get(path);
        if (known) trash.add(known);
      } else if (!path.startsWith('.benchtop/')) notebooks.set(path, hash);
    }
    return { notebooks, trash };
  };
  /** The hashes of every version kept in this computer's trash (each file read once, see remoteTrash). */
  const localTrashHashes = async (): Promise<string[]> => {
    const root = join(f.dir, '.benchtop', 'trash');
    const found: string[] = [];
    const walk = async (dir: string) => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return; // no trash yet
      }
      for (const e of entries) {
        const path = join(dir, e.name);
        if (e.isDirectory()) await walk(path);
        else if (e.isFile()) {
          if (!localTrash.has(path)) localTrash.set(path, sha(await readFile(path)));
          found.push(localTrash.get(path) as string);
        }
      }
    };
    await walk(root);
    return found;
  };
  const SECTION = '\0=====\0';
  /**
   * One python3 run in the volume as the session's user (what Jupyter would do): lists every file
   * with its sha256 (notebooks and trash), applies the remote operations, lists again. One process
   * and one engine round trip serve both the check after one sync and the next sequence's
   * operations, which pick "the Nth notebook" from the files there at that moment.
   */
  const REMOTE_SCRIPT = String.raw`
import hashlib, json, os, sys
os.chdir(sys.argv[1])
kept = set(json.loads(sys.stdin.read() or '[]'))
def listing():
    out = []
    for d, dirs, files in os.walk('.'):
        rel = d[2:]
        if rel == '.benchtop-sync' or rel.startswith('.benchtop-sync/'):
            dirs[:] = []
            continue
        for name in files:
            p = os.path.join(d, name)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            if p[2:] in kept:
                out.append('-' * 64 + '  ' + p + '\0')  # a kept version already hashed (see remoteTrash)
                continue
            try:
                with open(p, 'rb') as fh:
                    out.append(hashlib.sha256(fh.read()).hexdigest() + '  ./' + (rel + '/' if rel else '') + name + '\0')
            except OSError:
                pass
    return ''.join(out)
def names():
    found = []
    for d, dirs, files in os.walk('.'):
        rel = d[2:]
        if rel.split('/')[0] in ('.benchtop', '.benchtop-sync'):
            dirs[:] = []
            continue
        found += [(rel + '/' if rel else '') + n for n in files if os.path.isfile(os.path.join(d, n)) and not os.path.islink(os.path.join(d, n))]
    return sorted(found)
def nth(pick):
    all = names()
    if not all:
        raise FileNotFoundError('no notebooks')
    return all[pick % len(all)]
def write(path, content):
    with open(path, 'w') as fh:
        fh.write(content)
def into(src, dst):
    # mv's rule: onto a folder means into it
    return os.path.join(dst, os.path.basename(src)) if os.path.isdir(dst) else dst
sys.stdout.write(listing() + '\0=====\0')
for op in json.loads(sys.argv[2]):
    try:
        kind = op[0]
        if kind == 'create':
            os.makedirs(op[1] or '.', exist_ok=True)
            write(op[1] + op[2], op[3])
        elif kind == 'edit':
            write(nth(op[1]), op[2])
        elif kind == 'delete':
            os.unlink(nth(op[1]))
        elif kind == 'renameFile':
            src = nth(op[1])
            os.makedirs(op[2] or '.', exist_ok=True)
            os.replace(src, into(src, op[2] + op[3]))
        elif kind == 'renameFolder':
            os.rename(op[1], into(op[1], op[2]))
    except OSError:
        pass  # as in a shell: an operation that cannot happen (a file where a folder is) just does not
sys.stdout.write(listing() + '\0bt-done')
`;
  type RemoteOp = [string, ...(string | number)[]];
  const remoteRun = async (ops: RemoteOp[]): Promise<{ before: Listing; after: Listing }> => {
    const c = await f.session();
    const known = Buffer.from(JSON.stringify([...remoteTrash.keys()]), 'utf8');
    const out = await execIn(c, ['python3', '-S', '-c', REMOTE_SCRIPT, NOTEBOOKS_ROOT, JSON.stringify(ops)], undefined, SESSION_USER, DONE_MARKER, (send) => send(known));
    if (out.exitCode !== 0) throw new Error(`the remote operations failed (${out.exitCode}): ${out.stderr}`);
    const [before, after = ''] = out.stdout.toString('utf8').split(SECTION);
    return { before: parseListing(before), after: parseListing(after) };
  };

  it(`keeps every file version through ${SEQUENCES} random sequences (seed ${SEED})`, async () => {
    console.log(`sync model: seed ${SEED}, ${SEQUENCES} sequences (replay: BENCHTOP_SYNC_SEED=${SEED}; longer soak: BENCHTOP_SOAK=N)`);
    const started = performance.now();
    const sequences = fc.sample(sequence, { seed: SEED, numRuns: SEQUENCES });
    const parked = `${f.notebooks}.parked`;
    if (sequences.some((seq) => seq.mode === 'kill')) spare = startChild((await f.session()).id);
    let away = false;
    let version = 0;
    const counts: Record<string, number> = {};
    // Where the run's time goes, per step kind (printed at the end): CI's budget is about 3 minutes.
    const spent: Record<string, number> = {};
    const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
      const start = performance.now();
      try {
        return await work();
      } finally {
        spent[what] = (spent[what] ?? 0) + performance.now() - start;
      }
    };
    /** The invariant after a sync: `before` (every version either side had) is all still somewhere. */
    const check = async (where: string, before: Set<string>, outcome: string, localAfter: Map<string, string>, remote: Listing) => {
      const kept = new Set([...localAfter.values(), ...remote.notebooks.values(), ...remote.trash, ...(await localTrashHashes())]);
      const lost = [...before].filter((h) => !kept.has(h));
      expect(lost, `lost versions after ${where}`).toEqual([]);
      if (outcome === 'ok') {
        expect(Object.fromEntries([...localAfter].sort()), `sides differ after a completed sync in ${where}`).toEqual(Object.fromEntries([...remote.notebooks].sort()));
      }
    };
    let pending: { where: string; before: Set<string>; outcome: string; localAfter: Map<string, string> } | undefined;
    for (const [index, seq] of sequences.entries()) {
      const where = `sequence ${index} (seed ${SEED}): ${JSON.stringify(seq)}`;
      // The local side of the previous sequence's check is read before this sequence touches it.
      const localNow = await localFiles(f.notebooks);
      if (pending) pending.localAfter = localNow;
      // 1. The operations: local ones directly, remote ones as one script (run with the check's listing).
      const script: RemoteOp[] = [];
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
          if (o.kind === 'create') script.push(['create', FOLDERS[o.folder], NAMES[o.name], content]);
          else if (o.kind === 'edit') script.push(['edit', o.pick, content]);
          else if (o.kind === 'delete') script.push(['delete', o.pick]);
          else if (o.kind === 'renameFile') script.push(['renameFile', o.pick, FOLDERS[o.folder], NAMES[o.name]]);
          else if (o.kind === 'renameFolder') script.push(['renameFolder', FOLDERS[o.folder].slice(0, -1), `${FOLDERS[o.to].slice(0, -1)}-moved`]);
        }
      }
      const run = await timed('remote listing + ops', () => remoteRun(script));
      if (pending) {
        const { where: was, before, outcome, localAfter } = pending;
        await timed('checks', () => check(was, before, outcome, localAfter, run.before));
      }
      const before = new Set([...(await localFiles(f.notebooks)).values(), ...run.after.notebooks.values()]);

      // 2. One sync, in the way this sequence says.
      const outcome = await timed(`sync ${seq.mode}`, () => runSync(seq.mode, seq.delayMs));
      counts[`${seq.mode}:${outcome}`] = (counts[`${seq.mode}:${outcome}`] ?? 0) + 1;
      // 3. The invariant: checked with the next exec's first listing (or the last one, below).
      pending = { where, before, outcome, localAfter: new Map() };
    }
    if (pending) await check(pending.where, pending.before, pending.outcome, await localFiles(f.notebooks), (await remoteRun([])).before);
    console.log(`sync model outcomes: ${JSON.stringify(counts)}`);
    console.log(`sync model time (s): ${((performance.now() - started) / 1000).toFixed(1)} in all; ${Object.entries(spent).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`).join(', ')}`);
    expect(Object.keys(counts).some((k) => k.startsWith('plain:ok'))).toBe(true);
  }, 30 * 60_000);

  /**
   * A syncing child process, started ahead and waiting (child-sync.ts --wait): its start-up, most of
   * the cost of a SIGKILL sequence, runs while other sequences do.
   */
  interface Child { child: ChildProcess; ready: Promise<void>; output: () => string }
  let spare: Child | undefined;
  const startChild = (containerId: string): Child => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/sync/child-sync.ts'), join(fx.dir, 'settings'), f.dir, target, containerId, '--wait'],
      { env: fx.env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('"ready"')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the child sync exited (${code}) before it was ready: ${out}`)));
    });
    ready.catch(() => undefined); // awaited when this child's turn comes
    return { child, ready, output: () => out };
  };
  afterAll(() => {
    spare?.child.kill('SIGKILL');
  });

  let op = 0;
  /** One sync; says how it ended ('ok', or the error code). */
  async function runSync(mode: SyncMode, delayMs: number): Promise<string> {
    const containerId = (await f.session()).id;
    if (mode === 'kill') {
      const { child, ready, output } = spare ?? startChild(containerId);
      spare = undefined;
      await ready;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let armed = false;
      child.stdout?.on('data', () => {
        // Killed at a random point once it is syncing (scanning, moving files, or deleting).
        if (armed || !output().includes('"progress"')) return;
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs % 150);
      });
      child.stdin?.write('go\n');
      await exited;
      spare = startChild(containerId); // loads while the next sequences run
      return output().includes('"result"') ? 'ok-before-kill' : 'killed';
    }
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
