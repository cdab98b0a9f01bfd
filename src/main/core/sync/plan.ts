import { conflictCopyName } from './conflict-name';
import { sameContent, type Base, type Entry, type Tree } from './tree';

/** A file that travels under one name on the sending side and may land under another. */
export interface Transfer {
  from: string;
  to: string;
}

export interface Conflict {
  path: string;
  /** Where the other side's version was kept; absent when nothing could be synced for this path. */
  copy?: string;
  reason: string;
}

/** Everything one sync does, decided from the two scans and the base before anything is touched. */
export interface SyncPlan {
  /** Local files written to the same path in the volume. */
  upload: Transfer[];
  /** Volume files written locally (to a conflict copy's name when `to` differs). */
  download: Transfer[];
  /** In the volume, before uploads: the volume's version of a conflicting file moves to its copy name. */
  renameRemote: Transfer[];
  mkdirRemote: string[];
  mkdirLocal: string[];
  deleteRemote: string[];
  deleteLocal: string[];
  rmdirRemote: string[];
  rmdirLocal: string[];
  conflicts: Conflict[];
  /** Paths where both sides already hold the same thing (only the base needs to learn it). */
  agreed: string[];
  /** Paths gone from both sides (only the base needs to forget them). */
  forgotten: string[];
}

export interface PlanInput {
  local: Tree;
  remote: Tree;
  base: Base;
  /** Names the volume's side in conflict copies, e.g. `gpu-box`. */
  targetName: string;
  now: Date;
}

export function emptyPlan(): SyncPlan {
  return { upload: [], download: [], renameRemote: [], mkdirRemote: [], mkdirLocal: [], deleteRemote: [], deleteLocal: [], rmdirRemote: [], rmdirLocal: [], conflicts: [], agreed: [], forgotten: [] };
}

/** True when the plan changes nothing on either side. */
export function planIsEmpty(plan: SyncPlan): boolean {
  return plan.upload.length + plan.download.length + plan.renameRemote.length + plan.mkdirRemote.length + plan.mkdirLocal.length +
    plan.deleteRemote.length + plan.deleteLocal.length + plan.rmdirRemote.length + plan.rmdirLocal.length === 0;
}

/**
 * The three-way merge. For each path, each side's change is judged against the base (what both held
 * after the last sync): a change on one side is carried to the other, deletions included. When both
 * changed, nothing is dropped: a deletion loses to an edit, and two different edits keep the local
 * version under the name and the volume's as a conflict copy on both sides.
 */
export function planSync({ local, remote, base, targetName, now }: PlanInput): SyncPlan {
  const plan = emptyPlan();
  const paths = [...new Set([...local.keys(), ...remote.keys(), ...base.keys()])].sort();
  const taken = new Set([...local.keys(), ...remote.keys()]);
  const blocked: string[] = [];

  // Makes the `to` side match `from`; the two directions differ only in which lists they fill.
  const copyOver = (
    side: { delete: string[]; rmdir: string[]; copy: Transfer[]; mkdir: string[] },
  ) => (path: string, from: Entry | undefined, to: Entry | undefined): void => {
    if (!from) {
      if (to?.type === 'file') side.delete.push(path);
      else if (to) side.rmdir.push(path);
    } else if (from.type === 'file') {
      if (to?.type === 'dir') side.rmdir.push(path);
      side.copy.push({ from: path, to: path });
    } else {
      if (to?.type === 'file') side.delete.push(path);
      side.mkdir.push(path);
    }
  };
  const remoteSide = copyOver({ delete: plan.deleteRemote, rmdir: plan.rmdirRemote, copy: plan.upload, mkdir: plan.mkdirRemote });
  const localSide = copyOver({ delete: plan.deleteLocal, rmdir: plan.rmdirLocal, copy: plan.download, mkdir: plan.mkdirLocal });
  const toRemote = (path: string, l: Entry | undefined, r: Entry | undefined): void => remoteSide(path, l, r);
  const toLocal = (path: string, l: Entry | undefined, r: Entry | undefined): void => localSide(path, r, l);

  for (const path of paths) {
    if (blocked.some((b) => path.startsWith(`${b}/`))) continue;
    const l = local.get(path);
    const r = remote.get(path);
    const b = base.get(path);
    const localChanged = !sameContent(l, b);
    const remoteChanged = !sameContent(r, b);
    if (!localChanged && !remoteChanged) {
      if (l && r) plan.agreed.push(path);
      else if (b) plan.forgotten.push(path);
    } else if (localChanged && !remoteChanged) {
      toRemote(path, l, r);
    } else if (!localChanged && remoteChanged) {
      toLocal(path, l, r);
    } else if (sameContent(l, r)) {
      if (l) plan.agreed.push(path);
      else plan.forgotten.push(path);
    } else if (!l) {
      // Deleted here, edited there: the edit wins, so the work comes back.
      toLocal(path, l, r);
    } else if (!r) {
      toRemote(path, l, r);
    } else if (l.type === 'file' && r.type === 'file') {
      const copy = conflictCopyName(path, targetName, now, taken);
      taken.add(copy);
      plan.renameRemote.push({ from: path, to: copy });
      plan.upload.push({ from: path, to: path });
      plan.download.push({ from: path, to: copy });
      plan.conflicts.push({ path, copy, reason: `changed on both sides; the ${targetName} version was kept as "${copy}"` });
    } else {
      // A file on one side and a folder on the other: leave both untouched and say so.
      blocked.push(path);
      plan.conflicts.push({ path, reason: 'is a file on one side and a folder on the other; rename one of them' });
    }
  }
  // Folders go deepest first so a folder is emptied before it is removed.
  plan.rmdirRemote.sort(deepestFirst);
  plan.rmdirLocal.sort(deepestFirst);
  return plan;
}

function deepestFirst(a: string, b: string): number {
  return b.split('/').length - a.split('/').length || b.localeCompare(a);
}
