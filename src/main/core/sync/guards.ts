import { BenchtopError } from '../errors';
import type { SyncPlan } from './plan';
import { LOCKFILE_REL, type Base, type Tree } from './tree';

/** More deletions than this on one side always ask first. */
export const MASS_DELETE_FILES = 5;

/** What the local notebooks folder is when the sync starts. */
export type RootState = 'folder' | 'missing' | 'not-a-folder';

const notebookFiles = (entries: Iterable<[string, { type: string }]>) => {
  let n = 0;
  for (const [rel, entry] of entries) if (entry.type === 'file' && rel !== LOCKFILE_REL) n += 1;
  return n;
};

export interface GuardInput {
  plan: SyncPlan;
  local: Tree;
  remote: Tree;
  base: Base;
  localRoot: RootState;
  localRootPath: string;
  targetName: string;
  /** The user said yes to deleting in bulk (`--yes`, the app's confirmation). */
  confirmed: boolean;
}

/**
 * A notebooks folder that is missing, or empty while the last sync saw files, is not "everything
 * was deleted" (Syncthing's folder marker rule): a `git checkout`, a moved folder, a new path in
 * devcontainer.json or a fresh volume look exactly like that. Stops before anything is touched.
 */
export function checkRoots({ plan, local, remote, base, localRoot, localRootPath, targetName, confirmed }: GuardInput): void {
  const baseFiles = notebookFiles(base);
  if (localRoot !== 'folder' && baseFiles > 0) {
    throw new BenchtopError('SYNC_ROOT_MISSING',
      `The notebooks folder ${localRootPath} ${localRoot === 'missing' ? 'is missing' : 'is not a folder'}, while the last sync with ${targetName} saw ${baseFiles} file${baseFiles === 1 ? '' : 's'} in it. Nothing was synced or deleted.`,
      'Put the folder back (or point "notebooks" in devcontainer.json at it again) and sync again. To start that folder afresh, create it empty and sync with --yes: the files on the host then come down.');
  }
  if (confirmed || baseFiles === 0) return;
  if (notebookFiles(local) === 0 && plan.deleteRemote.length > 0) {
    throw new BenchtopError('SYNC_ROOT_MISSING',
      `The notebooks folder ${localRootPath} is empty, while the last sync with ${targetName} saw ${baseFiles} file${baseFiles === 1 ? '' : 's'} in it. Nothing was synced or deleted.`,
      'If the files were moved away, put them back and sync again. If you meant to delete them all, sync with --yes (the app asks): every removed version is kept in "Recently removed" for 30 days.');
  }
  if (notebookFiles(remote) === 0 && plan.deleteLocal.length > 0) {
    throw new BenchtopError('SYNC_ROOT_MISSING',
      `The notebooks volume on ${targetName} is empty, while the last sync saw ${baseFiles} file${baseFiles === 1 ? '' : 's'} in it. Nothing was synced or deleted.`,
      'If the session emptied it on purpose, sync with --yes (the app asks): every removed version is kept in "Recently removed" for 30 days.');
  }
}

/** True when losing `n` of `total` files is "more than a few, or a large share". */
export function isMassDelete(n: number, total: number): boolean {
  return n > MASS_DELETE_FILES || (n >= 3 && n * 2 > total);
}

/** Stops a sync that would delete in bulk on either side unless the user confirmed, listing what would go. */
export function checkMassDelete({ plan, local, remote, targetName, confirmed }: GuardInput): void {
  if (confirmed) return;
  const here = plan.deleteLocal;
  const there = plan.deleteRemote;
  const massHere = isMassDelete(here.length, notebookFiles(local));
  const massThere = isMassDelete(there.length, notebookFiles(remote));
  if (!massHere && !massThere) return;
  const list = (paths: string[]) => {
    const shown = paths.slice(0, 10).map((p) => `"${p}"`).join(', ');
    return paths.length > 10 ? `${shown} and ${paths.length - 10} more` : shown;
  };
  const parts: string[] = [];
  if (here.length > 0) parts.push(`${here.length} file${here.length === 1 ? '' : 's'} on this computer (${list(here)})`);
  if (there.length > 0) parts.push(`${there.length} file${there.length === 1 ? '' : 's'} in the volume on ${targetName} (${list(there)})`);
  throw new BenchtopError('SYNC_MASS_DELETE', `This sync would delete ${parts.join(' and ')}. Nothing was synced or deleted.`,
    'If that is what you want, sync again with --yes (the app asks): every removed version is kept in "Recently removed" for 30 days. If not, put the files back first.');
}
