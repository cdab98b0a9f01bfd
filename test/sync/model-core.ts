/**
 * The randomized sync model, shared by its runs against each kind of remote side (a session volume
 * on the SSH host: test/sync/model.test.ts; a folder on the Slurm cluster's shared file system:
 * test/slurm-sync/model.test.ts). fast-check generates the sequences from a seed. Each sequence: a
 * few operations on both sides, then one sync, done however the remote side's test says (plain,
 * confirmed, cut off, killed). After every sync the invariant is checked:
 *   every file version that existed on either side before the sync is afterwards in a notebooks
 *   folder (conflict copies included) or in a trash;
 * and after a sync that completed, both notebooks folders hold exactly the same files.
 * Here: the operations and sequences, the listings of both sides, and the loop with the check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { FOLDER_MARKER_REL } from '../../src/main/core/sync/folder-identity';

/** CI runs `sequences` with `seed`; `BENCHTOP_SOAK=N` runs N with a random seed; `BENCHTOP_SYNC_SEED=S` replays S. */
export function modelRunSize(sequences: number, seed: number): { SEQUENCES: number; SEED: number } {
  const soak = Number(process.env.BENCHTOP_SOAK ?? 0);
  return {
    SEQUENCES: soak > 0 ? soak : sequences,
    SEED: Number(process.env.BENCHTOP_SYNC_SEED ?? (soak > 0 ? Math.floor(Math.random() * 2 ** 31) : seed)),
  };
}

/** `BENCHTOP_MODEL_TRACE=1` prints every sequence and how its sync ended (to follow a failing seed). */
const TRACE = process.env.BENCHTOP_MODEL_TRACE === '1';

export type Side = 'local' | 'remote';
export type Op =
  | { kind: 'create'; side: Side; folder: number; name: number }
  | { kind: 'edit'; side: Side; pick: number }
  | { kind: 'delete'; side: Side; pick: number }
  | { kind: 'renameFile'; side: Side; pick: number; folder: number; name: number }
  | { kind: 'renameFolder'; side: Side; folder: number; to: number }
  | { kind: 'moveAway' }
  | { kind: 'moveBack' }
  | { kind: 'renameProject' }
  // A cluster folder's own (FOLDER_OPS): the whole folder moved away on the cluster and put back,
  // and its marker removed (what a folder removed and made again with the same files looks like).
  | { kind: 'removeFolder' }
  | { kind: 'restoreFolder' }
  | { kind: 'unmarkFolder' };
export type SyncMode = 'plain' | 'confirm' | 'cut' | 'kill';
export interface Sequence { ops: Op[]; mode: SyncMode; delayMs: number }

export const FOLDERS = ['', 'a/', 'a/b/', 'c/'];
export const NAMES = ['x.ipynb', 'y.ipynb', 'z.txt', 'Über.ipynb', 'w.ipynb'];
type Weighted = { weight: number; arbitrary: fc.Arbitrary<Op> };
const side = fc.constantFrom<Side>('local', 'remote');
const BASE_OPS: Weighted[] = [
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('create' as const), side, folder: fc.nat(3), name: fc.nat(4) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), side, pick: fc.nat(50) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), side, pick: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('renameFile' as const), side, pick: fc.nat(50), folder: fc.nat(3), name: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renameFolder' as const), side, folder: fc.integer({ min: 1, max: 3 }), to: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'moveAway' as const }) },
  // Back more often than away: a sequence with the folder away only proves SYNC_ROOT_MISSING again.
  { weight: 5, arbitrary: fc.constant({ kind: 'moveBack' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'renameProject' as const }) },
];
/** The cluster folder's operations, added to the others for that kind (back more often than away, as above). */
export const FOLDER_OPS: Weighted[] = [
  { weight: 1, arbitrary: fc.constant({ kind: 'removeFolder' as const }) },
  { weight: 5, arbitrary: fc.constant({ kind: 'restoreFolder' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unmarkFolder' as const }) },
];
const syncMode = fc.oneof(
  { weight: 14, arbitrary: fc.constant<SyncMode>('plain') },
  { weight: 3, arbitrary: fc.constant<SyncMode>('confirm') },
  { weight: 2, arbitrary: fc.constant<SyncMode>('cut') },
  { weight: 1, arbitrary: fc.constant<SyncMode>('kill') },
);

/**
 * The sequences for one run. Several operations per sync: the sync is the expensive step, so each
 * one gets more to carry. Without `extra` the generator is the one the SSH host's run always had,
 * so its seed replays the same sequences.
 */
export function modelSequences(seed: number, count: number, extra: Weighted[] = []): Sequence[] {
  const op: fc.Arbitrary<Op> = fc.oneof(...BASE_OPS, ...extra);
  const sequence = fc.record({ ops: fc.array(op, { minLength: 2, maxLength: 8 }), mode: syncMode, delayMs: fc.nat(400) });
  return fc.sample(sequence, { seed, numRuns: count });
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** path → sha256 of every file under `dir` (relative, POSIX). */
export async function localFiles(dir: string): Promise<Map<string, string>> {
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

/** One side's notebooks (path → sha256) and the hashes of the versions its trash keeps. */
export type Listing = { notebooks: Map<string, string>; trash: Set<string> };
const KNOWN = '-'.repeat(64);
export const SECTION = '\0=====\0';

/**
 * Reads the remote script's listings and this computer's trash. A trash entry never changes once
 * made (its batch is one sync's, and batch names are unique), so each is hashed once; the listings
 * still say which are there every time.
 */
export class ModelListings {
  readonly #remoteTrash = new Map<string, string>();
  readonly #localTrash = new Map<string, string>();

  /** The remote trash paths already hashed, for the remote script's stdin (it skips hashing them). */
  known(): Buffer {
    return Buffer.from(JSON.stringify([...this.#remoteTrash.keys()]), 'utf8');
  }

  /** The remote script's output: the listing before its operations and the one after them. */
  parseRun(stdout: Buffer): { before: Listing; after: Listing } {
    const [before, after = ''] = stdout.toString('utf8').split(SECTION);
    return { before: this.parse(before), after: this.parse(after) };
  }

  parse(text: string): Listing {
    const notebooks = new Map<string, string>();
    const trash = new Set<string>();
    for (const line of text.split('\0')) {
      if (line.length < 67) continue;
      const [hash, path] = [line.slice(0, 64), line.slice(68)];
      if (path.startsWith('.benchtop/trash/')) {
        if (hash !== KNOWN) this.#remoteTrash.set(path, hash);
        const known = this.#remoteTrash.get(path);
        if (known) trash.add(known);
      } else if (!path.startsWith('.benchtop/')) notebooks.set(path, hash);
    }
    return { notebooks, trash };
  }

  /** The hashes of every version kept in this computer's trash (`<project>/.benchtop/trash`). */
  async localTrashHashes(projectDir: string): Promise<string[]> {
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
          if (!this.#localTrash.has(path)) this.#localTrash.set(path, sha(await readFile(path)));
          found.push(this.#localTrash.get(path) as string);
        }
      }
    };
    await walk(join(projectDir, '.benchtop', 'trash'));
    return found;
  }
}

/**
 * One python3 run in the remote notebooks folder as the user who edits there (what Jupyter would
 * do): lists every file with its sha256 (notebooks and trash), applies the remote operations, lists
 * again. One process serves both the check after one sync and the next sequence's operations,
 * which pick "the Nth notebook" from the files there at that moment.
 *   python3 -S -c REMOTE_SCRIPT ROOT OPS_JSON   (stdin: the trash paths already hashed, as JSON)
 * A missing ROOT (the folder moved away) lists as empty and takes no file operations; `park` and
 * `unpark` move ROOT itself away (to ROOT.parked) and back.
 */
export const REMOTE_SCRIPT = String.raw`
import hashlib, json, os, shutil, sys
root = sys.argv[1]
def enter():
    try:
        os.chdir(root)
        return True
    except OSError:
        return False
here = enter()
kept = set(json.loads(sys.stdin.read() or '[]'))
def listing():
    if not here:
        return ''
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
                out.append('-' * 64 + '  ' + p + '\0')  # a kept version already hashed (see ModelListings)
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
        if kind == 'park':
            if here:
                os.chdir('/')
                here = False
                os.rename(root, root + '.parked')
        elif kind == 'unpark':
            if os.path.isdir(root + '.parked'):
                os.chdir('/')
                shutil.rmtree(root, ignore_errors=True)
                os.rename(root + '.parked', root)
                here = enter()
        elif not here:
            pass  # the folder is away: nothing to edit
        elif kind == 'unlink':
            os.unlink(op[1])
        elif kind == 'create':
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
export type RemoteOp = [string, ...(string | number)[]];

/** What a run of the model needs from the remote side's test. */
export interface ModelDriver {
  seed: number;
  sequences: Sequence[];
  /** The local project folder (its trash is under `.benchtop/trash`) and its notebooks folder. */
  projectDir: string;
  notebooks: string;
  listings: ModelListings;
  /** The project's name after its rename in operation `version`. */
  renamed(version: number): string;
  /**
   * One remote round: `before` is what the last sync left (its check, on the side it synced with),
   * then `ops` are applied, and `after` is what the next sync (`next`, none after the last) starts from.
   */
  remote(ops: RemoteOp[], next?: Sequence): Promise<{ before: Listing; after: Listing }>;
  /** One sync in the way `seq` says; how it ended ('ok', or the error code). */
  sync(seq: Sequence): Promise<string>;
}

/** Runs every sequence, checking the invariant after every sync; prints the outcomes and where the time went. */
export async function runModel(d: ModelDriver): Promise<Record<string, number>> {
  const { seed: SEED, notebooks } = d;
  const started = performance.now();
  const parked = `${notebooks}.parked`;
  let away = false;
  let version = 0;
  const counts: Record<string, number> = {};
  // Where the run's time goes, per step kind (printed at the end): CI's budget is a few minutes.
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
    const kept = new Set([...localAfter.values(), ...remote.notebooks.values(), ...remote.trash, ...(await d.listings.localTrashHashes(d.projectDir))]);
    const lost = [...before].filter((h) => !kept.has(h));
    expect(lost, `lost versions after ${where}`).toEqual([]);
    if (outcome === 'ok') {
      expect(Object.fromEntries([...localAfter].sort()), `sides differ after a completed sync in ${where}`).toEqual(Object.fromEntries([...remote.notebooks].sort()));
    }
  };
  let pending: { where: string; before: Set<string>; outcome: string; localAfter: Map<string, string> } | undefined;
  for (const [index, seq] of d.sequences.entries()) {
    const where = `sequence ${index} (seed ${SEED}): ${JSON.stringify(seq)}`;
    // The local side of the previous sequence's check is read before this sequence touches it.
    const localNow = await localFiles(notebooks);
    if (pending) pending.localAfter = localNow;
    // 1. The operations: local ones directly, remote ones as one script (run with the check's listing).
    const script: RemoteOp[] = [];
    const localNames = [...localNow.keys()].sort();
    for (const o of seq.ops) {
      version += 1;
      const content = `v${version} ${o.kind}\n`;
      if (o.kind === 'moveAway') {
        if (!away && existsSync(notebooks)) {
          await rename(notebooks, parked);
          away = true;
        }
      } else if (o.kind === 'moveBack') {
        if (away) {
          await rm(notebooks, { recursive: true, force: true });
          await rename(parked, notebooks);
          away = false;
        }
      } else if (o.kind === 'renameProject') {
        const path = join(d.projectDir, '.devcontainer', 'devcontainer.json');
        await writeFile(path, (await readFile(path, 'utf8')).replace(/"name":\s*"[^"]*"/, `"name": "${d.renamed(version)}"`));
      } else if (o.kind === 'removeFolder') script.push(['park']);
      else if (o.kind === 'restoreFolder') script.push(['unpark']);
      else if (o.kind === 'unmarkFolder') script.push(['unlink', FOLDER_MARKER_REL]);
      else if (o.side === 'local') {
        if (away) continue;
        const names = localNames;
        const file = names.length ? names[('pick' in o ? o.pick : 0) % names.length] : undefined;
        if (o.kind === 'create') {
          const path = join(notebooks, FOLDERS[o.folder] + NAMES[o.name]);
          await mkdir(dirname(path), { recursive: true }).catch(() => undefined); // a file may sit where the folder would go
          await writeFile(path, content).catch(() => undefined);
        } else if (o.kind === 'edit' && file) await writeFile(join(notebooks, file), content);
        else if (o.kind === 'delete' && file) await rm(join(notebooks, file), { force: true });
        else if (o.kind === 'renameFile' && file) {
          const to = join(notebooks, FOLDERS[o.folder] + NAMES[o.name]);
          await mkdir(dirname(to), { recursive: true }).catch(() => undefined);
          await rename(join(notebooks, file), to).catch(() => undefined);
        } else if (o.kind === 'renameFolder') {
          await rename(join(notebooks, FOLDERS[o.folder]), join(notebooks, `${FOLDERS[o.to].slice(0, -1)}-moved`)).catch(() => undefined);
        }
      } else {
        if (o.kind === 'create') script.push(['create', FOLDERS[o.folder], NAMES[o.name], content]);
        else if (o.kind === 'edit') script.push(['edit', o.pick, content]);
        else if (o.kind === 'delete') script.push(['delete', o.pick]);
        else if (o.kind === 'renameFile') script.push(['renameFile', o.pick, FOLDERS[o.folder], NAMES[o.name]]);
        else if (o.kind === 'renameFolder') script.push(['renameFolder', FOLDERS[o.folder].slice(0, -1), `${FOLDERS[o.to].slice(0, -1)}-moved`]);
      }
    }
    const run = await timed('remote listing + ops', () => d.remote(script, seq));
    if (pending) {
      const { where: was, before, outcome, localAfter } = pending;
      await timed('checks', () => check(was, before, outcome, localAfter, run.before));
    }
    const before = new Set([...(await localFiles(notebooks)).values(), ...run.after.notebooks.values()]);

    // 2. One sync, in the way this sequence says.
    const outcome = await timed(`sync ${seq.mode}`, () => d.sync(seq));
    counts[`${seq.mode}:${outcome}`] = (counts[`${seq.mode}:${outcome}`] ?? 0) + 1;
    if (TRACE) console.log(`sync model trace: ${where} → ${outcome}`);
    // 3. The invariant: checked with the next remote round's first listing (or the last one, below).
    pending = { where, before, outcome, localAfter: new Map() };
  }
  if (pending) await check(pending.where, pending.before, pending.outcome, await localFiles(notebooks), (await d.remote([])).before);
  console.log(`sync model outcomes: ${JSON.stringify(counts)}`);
  console.log(`sync model time (s): ${((performance.now() - started) / 1000).toFixed(1)} in all; ${Object.entries(spent).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`).join(', ')}`);
  return counts;
}

/**
 * Syncs in a process of their own (test/sync/child-sync.ts), killed with SIGKILL at a random point
 * once they are syncing. Each is started ahead and waits (--wait): its start-up, most of the cost of
 * a killed sequence, runs while other sequences do.
 */
export class KilledSyncs {
  #spare: { child: ChildProcess; ready: Promise<void>; output: () => string } | undefined;

  /** @param args child-sync.ts's arguments after its path (--wait is added); `env` carries the fixture's HOME and SSH settings. */
  constructor(private readonly args: () => string[], private readonly env: () => NodeJS.ProcessEnv) {}

  /** Starts the first child ahead of its turn. */
  prepare(): void {
    this.#spare ??= this.#start();
  }

  /** One sync killed mid-way: 'killed', or 'ok-before-kill' when it finished first. */
  async run(delayMs: number): Promise<string> {
    const { child, ready, output } = this.#spare ?? this.#start();
    this.#spare = undefined;
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
    this.#spare = this.#start(); // loads while the next sequences run
    return output().includes('"result"') ? 'ok-before-kill' : 'killed';
  }

  close(): void {
    this.#spare?.child.kill('SIGKILL');
    this.#spare = undefined;
  }

  #start() {
    const root = new URL('../..', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/sync/child-sync.ts'), ...this.args(), '--wait'], { env: this.env(), stdio: ['pipe', 'pipe', 'ignore'] });
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
  }
}
