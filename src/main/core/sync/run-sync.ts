import { createHash, webcrypto } from 'node:crypto';
import type { SyncProgress } from '../../../shared/contract/hosts';
import { BenchtopError } from '../errors';
import { checkMassDelete, checkRoots } from './guards';
import { fileEntry, type HashCache, type LocalTree } from './local-tree';
import { planIsEmpty, planSync, type SyncPlan } from './plan';
import type { ApplyPlan, ApplyReport, RemoteTree, UploadItem } from './remote-tree';
import { refusedPaths, type PathPlatform } from './safe-path';
import { TRASH_KEEP_MS } from './trash';
import { sameStamp, type Base, type FileEntry, type Tree } from './tree';

export interface SyncRun {
  local: LocalTree;
  remote: RemoteTree;
  base: Base;
  caches: { local: HashCache; remote: HashCache };
  targetName: string;
  now: () => Date;
  progress: (update: Omit<SyncProgress, 'opId' | 'sessionId'>) => void;
  signal: AbortSignal;
  /** This sync's id: its staging folder in the volume and its trash batch on both sides. */
  stageId: string;
  /** The user agreed to bulk deletions (SYNC_MASS_DELETE, an emptied folder). */
  confirmed: boolean;
  /** How names are judged before they are written here. */
  localPaths: { platform?: PathPlatform; caseInsensitive: boolean };
}

export interface SyncOutcome {
  uploaded: number;
  downloaded: number;
  deleted: number;
  conflicts: string[];
  bytes: number;
  /** Paths not written on one side (SYNC_PATH_UNSAFE), each as `"path": why`. */
  refused: string[];
  /** The base to keep, or undefined when nothing about it changed. */
  nextBase?: Base;
}

type Stamp = [number, string];
const stampOf = (entry: FileEntry | undefined): Stamp | null => (entry ? [entry.size, entry.mtime] : null);
const asFile = (tree: Tree, rel: string) => {
  const entry = tree.get(rel);
  return entry?.type === 'file' ? entry : undefined;
};

/**
 * One sync between a local folder and a volume: scan both, hash what changed, plan, move what
 * changed in one tar each way, then learn the new base. Each side's files are replaced only after
 * their new content is complete, and only if they are still what the scan saw; anything skipped
 * keeps its old base entry, so the next sync takes it up again.
 */
export async function runSync(run: SyncRun): Promise<SyncOutcome> {
  const { local, remote, base, caches, signal } = run;
  run.progress({ phase: 'scanning', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, conflicts: [] });
  const [localRoot, localScanned, remoteScan] = await Promise.all([local.rootState(), local.scan(), remote.scan(signal, knownRemote(base, caches.remote))]);
  // Names this side must not write (unsafe, or a case-only twin here) are left out of the plan on
  // both sides, together with everything under them; their base entries stay as they were.
  const refused = new Map(refusedPaths(remoteScan.tree.keys(), localScanned.keys(), run.localPaths).map((r) => [r.path, r.reason]));
  const isRefused = (rel: string) => refused.has(rel) || [...refused.keys()].some((r) => rel.startsWith(`${r}/`));
  const withoutRefused = <T>(tree: Map<string, T>) => (refused.size === 0 ? tree : new Map([...tree].filter(([rel]) => !isRefused(rel))));
  // Nothing moved on either side since the last sync (every path and stamp as the base recorded
  // them): the plan would be empty and the base stays, so no hashing, planning or guarding is needed.
  if (refused.size === 0 && localRoot === 'folder' && sameAsBase(localScanned, base, 'localMtime') && sameAsBase(remoteScan.tree, base, 'remoteMtime')) {
    run.progress({ phase: 'done', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, conflicts: [] });
    return { uploaded: 0, downloaded: 0, deleted: 0, conflicts: [], bytes: 0, refused: [] };
  }
  const localTree = withoutRefused(localScanned);
  const remoteTree = withoutRefused(remoteScan.tree);
  const planBase = withoutRefused(base);
  // Content is compared only where both sides (or a side and the base) hold the path.
  await local.hash(localTree, (rel, entry) => {
    const b = base.get(rel);
    return b?.type === 'file' && sameStamp(entry, b.size, b.localMtime) ? b.sha256 : undefined;
  }, caches.local, (rel) => remoteTree.has(rel) || base.has(rel));
  await hashRemote(remote, remoteTree, base, caches.remote, (rel) => localTree.has(rel) || base.has(rel), signal);
  signal.throwIfAborted();

  const plan = planSync({ local: localTree, remote: remoteTree, base: planBase, targetName: run.targetName, now: run.now() });
  // Nothing has been touched yet: a missing folder or a bulk deletion stops here.
  const guard = { plan, local: localTree, remote: remoteTree, base: planBase, localRoot, localRootPath: local.notebooksDir, targetName: run.targetName, confirmed: run.confirmed };
  checkRoots(guard);
  checkMassDelete(guard);
  const refusedList = [...refused].map(([rel, why]) => `"${rel}" from ${run.targetName} ${why}`);
  const conflicts = plan.conflicts.map((c) => `${c.path}: ${c.reason}`);
  const next = new Map(base);
  for (const rel of plan.forgotten) next.delete(rel);
  for (const rel of plan.agreed) next.set(rel, agreedEntry(localTree, remoteTree, rel));
  if (planIsEmpty(plan)) {
    run.progress({ phase: 'done', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, conflicts });
    return { uploaded: 0, downloaded: 0, deleted: 0, conflicts, bytes: 0, refused: refusedList, nextBase: baseChanged(base, next) ? next : undefined };
  }

  const { stageId } = run;
  /** A path this side refused while writing (a link in its folders): reported, and the sync goes on. */
  const unsafeHere = async <T>(rel: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof BenchtopError) || error.code !== 'SYNC_PATH_UNSAFE') throw error;
      refusedList.push(`"${rel}" ${error.message.replace(/^"[^"]*" was not synced: /, '')}`);
      return undefined;
    }
  };
  const counts = { files: 0, bytes: 0 };
  const filesTotal = plan.upload.length + plan.download.length;
  const bytesTotal = plan.upload.reduce((n, u) => n + (asFile(localTree, u.from)?.size ?? 0), 0) +
    plan.download.reduce((n, d) => n + (asFile(remoteTree, d.from)?.size ?? 0), 0);
  let lastEmit = 0;
  const emit = (phase: SyncProgress['phase'], force = false) => {
    const at = Date.now();
    if (!force && at - lastEmit < 100) return;
    lastEmit = at;
    run.progress({ phase, filesDone: counts.files, filesTotal, bytesDone: counts.bytes, bytesTotal, conflicts });
  };

  // Up: the plan and every upload, fed to one python3 run in the container that applies them.
  emit('uploading', true);
  const sent = new Map<string, string>();
  // Each file sent unhashed is looked at again right after it was read, while the rest of the upload
  // is still on its way (after the apply step, a first sync's thousands of stats would cost a round
  // of their own): the stamp then vouches for what was sent only if it did not move meanwhile.
  const after = new Map<string, Promise<FileEntry | undefined>>();
  const restat = (from: string, entry: FileEntry) => {
    if (entry.sha256 !== undefined) return;
    const now = fileEntry(local.pathOf(from));
    now.catch(() => undefined); // awaited (and its error thrown) in recordUploads
    after.set(from, now);
  };
  // The same list, in the same order, as the apply plan's `moves` (toApplyPlan): the apply step
  // pairs each move with the upload at its index.
  const uploads: UploadItem[] = plan.upload.filter((u) => asFile(localTree, u.from)).map(({ from, to }) => {
    const entry = asFile(localTree, from) as FileEntry;
    return {
      rel: to, size: entry.size, mode: entry.mode,
      open: () => {
        const hash = createHash('sha256');
        const stream = local.readStream(from, entry.size);
        stream.on('data', (chunk: Buffer) => hash.update(chunk));
        stream.on('end', () => {
          sent.set(to, hash.digest('hex'));
          counts.files += 1;
          restat(from, entry);
        });
        return stream;
      },
      load: async () => {
        const content = await local.readWhole(from, entry.size);
        // Hashed on the thread pool, beside the upload, not on the thread that sends it.
        sent.set(to, Buffer.from(await webcrypto.subtle.digest('SHA-256', content)).toString('hex'));
        counts.files += 1;
        restat(from, entry);
        return content;
      },
    };
  });
  for (const item of uploads) if (item.size === 0) sent.set(item.rel, EMPTY_SHA256);
  const applyPlan = { ...toApplyPlan(plan, remoteTree, localTree), batch: stageId, now: run.now().getTime(), keepMs: TRASH_KEEP_MS };
  const report = await remote.apply(stageId, applyPlan, uploads, (n) => {
    counts.bytes += n;
    emit('uploading');
  }, signal);
  for (const [rel, why] of Object.entries(report.unsafe ?? {})) refusedList.push(`"${rel}" was not written in the volume on ${run.targetName}: ${why}`);
  const uploaded = await recordUploads(plan, report, localTree, sent, next, (rel) => after.get(rel) ?? fileEntry(local.pathOf(rel)));

  // Down: one tar of the snapshots the apply step linked, each written locally temp-then-rename.
  let downloaded = 0;
  if (plan.download.length > 0) {
    emit('downloading', true);
    await remote.fetch(stageId, async (index, header, content) => {
      const transfer = plan.download[index];
      if (!transfer) return;
      const seen = asFile(localTree, transfer.to);
      const counted = countBytes(content, (n) => {
        counts.bytes += n;
        emit('downloading');
      });
      const written = await unsafeHere(transfer.to, () => local.writeAtomic(transfer.to, counted, header.mode ?? 0o644, () => local.unchangedSince(transfer.to, seen)));
      counts.files += 1;
      if (!written) {
        // Refused or given up: the rest of its tar entry is skipped so the next entry can be read.
        for await (const _chunk of counted) { /* drain */ }
        return;
      }
      downloaded += 1;
      const source = asFile(remoteTree, transfer.from);
      // The volume's stamp vouches for what came down only if the snapshot was taken of the file
      // the scan saw (same hash, or, when it was not hashed, same size and mtime when linked).
      const snapshot = report.linked?.[index];
      const same = source?.sha256 ? written.sha256 === source.sha256 : !!snapshot && snapshot[0] === source?.size && snapshot[1] === source?.mtime;
      const remoteMtime = transfer.to === transfer.from ? (same ? source?.mtime : undefined) : stampMtime(report.done[transfer.to]);
      next.set(transfer.to, { type: 'file', sha256: written.sha256, size: written.size, localMtime: written.mtime, remoteMtime });
    }, signal);
    // The staging folder (the download snapshots) is left for the next sync's scan to remove, which
    // it does first thing under the lock: one engine round trip less on every sync that downloads.
  }

  // Deletions last: by now every new file has landed, so nothing depends on what goes.
  emit('deleting', true);
  let deleted = 0;
  for (const rel of [...plan.deleteRemote, ...plan.rmdirRemote]) {
    if (report.done[rel] === null) {
      next.delete(rel);
      deleted += 1;
    }
  }
  for (const rel of plan.deleteLocal) {
    const seen = asFile(localTree, rel);
    if (seen && (await unsafeHere(rel, () => local.deleteFile(rel, seen)))) {
      next.delete(rel);
      deleted += 1;
    }
  }
  for (const rel of plan.rmdirLocal) {
    if (await local.removeDir(rel)) {
      next.delete(rel);
      deleted += 1;
    }
  }
  for (const rel of plan.mkdirLocal) {
    if ((await unsafeHere(rel, () => local.makeDir(rel).then(() => true))) === true) next.set(rel, { type: 'dir' });
  }
  for (const rel of plan.mkdirRemote) if (report.done[rel] === 'dir') next.set(rel, { type: 'dir' });
  emit('done', true);
  return { uploaded, downloaded, deleted, conflicts, bytes: counts.bytes, refused: refusedList, nextBase: next };
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The volume's file stamps whose content this side already knows (so the scan need not hash them). */
function knownRemote(base: Base, cache: HashCache): Record<string, [number, string][]> {
  const known: Record<string, [number, string][]> = {};
  const add = (rel: string, size: number | undefined, mtime: string | undefined) => {
    if (size !== undefined && mtime !== undefined) (known[rel] ??= []).push([size, mtime]);
  };
  for (const [rel, entry] of base) if (entry.type === 'file') add(rel, entry.size, entry.remoteMtime);
  for (const [rel, entry] of cache) add(rel, entry.size, entry.mtime);
  return known;
}

async function hashRemote(remote: RemoteTree, tree: Tree, base: Base, cache: HashCache, needed: (rel: string) => boolean, signal: AbortSignal): Promise<void> {
  const todo: string[] = [];
  for (const [rel, entry] of tree) {
    if (entry.type !== 'file' || entry.sha256) continue; // hashed by the scan already
    const cached = cache.get(rel);
    const b = base.get(rel);
    if (cached && cached.size === entry.size && cached.mtime === entry.mtime) entry.sha256 = cached.sha256;
    else if (b?.type === 'file' && sameStamp(entry, b.size, b.remoteMtime)) entry.sha256 = b.sha256;
    else if (entry.size === 0) entry.sha256 = EMPTY_SHA256;
    else if (needed(rel)) todo.push(rel);
  }
  if (todo.length > 0) await remote.hash(tree, todo, signal);
  for (const [rel, entry] of tree) {
    if (entry.type === 'file' && entry.sha256) cache.set(rel, { size: entry.size, mtime: entry.mtime, sha256: entry.sha256 });
  }
}

function toApplyPlan(plan: SyncPlan, remoteTree: Tree, localTree: Tree): Omit<ApplyPlan, 'batch' | 'now' | 'keepMs'> {
  const conflicted = new Set(plan.renameRemote.map((r) => r.from));
  return {
    links: plan.download.map((d) => d.from),
    renames: plan.renameRemote.map(({ from, to }) => [from, to, stampOf(asFile(remoteTree, from)) as Stamp]),
    deletes: plan.deleteRemote.map((rel) => [rel, stampOf(asFile(remoteTree, rel)) as Stamp]),
    rmdirs: plan.rmdirRemote,
    mkdirs: plan.mkdirRemote,
    moves: plan.upload.filter((u) => asFile(localTree, u.from)).map((u) => [u.to, stampOf(asFile(remoteTree, u.to)), conflicted.has(u.to)]),
  };
}

async function recordUploads(plan: SyncPlan, report: ApplyReport, localTree: Tree, sent: Map<string, string>, next: Base,
  statNow: (rel: string) => Promise<FileEntry | undefined>): Promise<number> {
  let uploaded = 0;
  // Each file sent unhashed is looked at again (`statNow`: mostly done already, right after it was
  // read), several at a time.
  const unhashed = plan.upload.filter(({ from, to }) => Array.isArray(report.done[to]) && sent.has(to) && asFile(localTree, from)?.sha256 === undefined).map((u) => u.from);
  const nowOf = new Map<string, FileEntry | undefined>();
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let rel = unhashed.pop(); rel !== undefined; rel = unhashed.pop()) nowOf.set(rel, await statNow(rel));
  }));
  for (const { from, to } of plan.upload) {
    const placed = report.done[to];
    const entry = asFile(localTree, from);
    const sha = sent.get(to);
    if (!Array.isArray(placed) || !entry || !sha) continue;
    uploaded += 1;
    // The local stamp vouches for the content sent only if the file did not change while it was
    // read: same hash as scanned, or (not hashed before) the same size and mtime afterwards.
    const now = entry.sha256 ? undefined : nowOf.get(from);
    const steady = entry.sha256 ? sha === entry.sha256 : !!now && now.size === entry.size && now.mtime === entry.mtime;
    next.set(to, { type: 'file', sha256: sha, size: placed[0], localMtime: steady ? entry.mtime : undefined, remoteMtime: placed[1] });
  }
  return uploaded;
}

function agreedEntry(localTree: Tree, remoteTree: Tree, rel: string) {
  const l = localTree.get(rel);
  const r = remoteTree.get(rel);
  if (l?.type !== 'file' || r?.type !== 'file') return { type: 'dir' as const };
  return { type: 'file' as const, sha256: l.sha256, size: l.size, localMtime: l.mtime, remoteMtime: r.mtime };
}

function stampMtime(done: ApplyReport['done'][string] | undefined): string | undefined {
  return Array.isArray(done) ? done[1] : undefined;
}

/** True when `tree` holds exactly the base's paths, each folder a folder and each file with the size and mtime recorded for this side (and a known content). */
function sameAsBase(tree: Tree, base: Base, side: 'localMtime' | 'remoteMtime'): boolean {
  if (tree.size !== base.size) return false;
  for (const [rel, entry] of tree) {
    const b = base.get(rel);
    if (!b || b.type !== entry.type) return false;
    if (entry.type === 'file' && (b.sha256 === undefined || !sameStamp(entry, b.size, b[side]))) return false;
  }
  return true;
}

function baseChanged(a: Base, b: Base): boolean {
  if (a.size !== b.size) return true;
  for (const [rel, entry] of a) if (JSON.stringify(entry) !== JSON.stringify(b.get(rel))) return true;
  return false;
}

async function* countBytes(content: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncIterable<Uint8Array> {
  for await (const chunk of content) {
    onBytes(chunk.length);
    yield chunk;
  }
}
