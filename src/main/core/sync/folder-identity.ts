import { randomUUID } from 'node:crypto';
import { BenchtopError } from '../errors';
import { execOk, DONE_MARKER, DONE_MARKER_SH } from './container-exec';
import type { ExecHost } from './exec-host';
import type { VolumeIdentity } from './sync-state';
import { STAGING_DIR } from './tree';
import { ADOPT_NEW } from './volume-identity';

/**
 * The folder's marker (like Syncthing's `.stfolder`): the id recorded when Benchtop first synced
 * with the folder. Inside `.benchtop/`, which the sync never carries (the trash lives beside it).
 */
export const FOLDER_MARKER_REL = '.benchtop/folder-id';

export interface ResolveFolderInput {
  project: { dir: string };
  target: string;
  /** The folder this project's sessions on the target use (the job mounts it). */
  folder: string;
  /** What the sync state recorded, if anything (name = the folder's path). */
  recorded?: VolumeIdentity;
  /** The user chose a folder: `new` (a fresh marker in `folder`) or a folder's path. */
  adopt?: string;
}

type FolderState = { kind: 'missing' } | { kind: 'not-a-folder' } | { kind: 'marked'; id: string } | { kind: 'unmarked'; entries: number };

const sh = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/** What is at `path` on the host: missing, not a folder, marked with an id, or unmarked (how many entries besides the sync's own). */
export async function folderState(host: ExecHost, path: string, signal?: AbortSignal): Promise<FolderState> {
  const script = [
    'if [ -L "$1" ] || { [ -e "$1" ] && [ ! -d "$1" ]; }; then printf notdir',
    'elif [ ! -d "$1" ]; then printf missing',
    `elif [ -f "$1/${FOLDER_MARKER_REL}" ]; then printf 'id:'; head -c 200 "$1/${FOLDER_MARKER_REL}"`,
    // The sync's own folders (its trash, staging) are not the user's files.
    `else printf "unmarked:%s" "$(cd "$1" && ls -A | grep -vx -e .benchtop -e ${STAGING_DIR} | wc -l)"; fi`,
  ].join('\n');
  const out = (await execOk(host, ['sh', '-c', `{ ${script}\n} && ${DONE_MARKER_SH}`, 'sh', path], 'Looking at the notebooks folder', signal, undefined, DONE_MARKER)).toString('utf8').trim();
  if (out === 'missing') return { kind: 'missing' };
  if (out === 'notdir') return { kind: 'not-a-folder' };
  if (out.startsWith('id:')) return { kind: 'marked', id: out.slice(3).trim() };
  return { kind: 'unmarked', entries: Number(out.replace(/^unmarked:/, '')) || 0 };
}

/** Makes the folder (and its parents) when missing and writes a fresh marker into it (temp file, then rename). */
export async function markFolder(host: ExecHost, path: string, signal?: AbortSignal): Promise<VolumeIdentity> {
  const id = randomUUID();
  const script = `umask 077; mkdir -p "$1/.benchtop" && printf %s "$2" > "$1/${FOLDER_MARKER_REL}.tmp" && mv -f "$1/${FOLDER_MARKER_REL}.tmp" "$1/${FOLDER_MARKER_REL}" && chmod 755 "$1"`;
  await execOk(host, ['sh', '-c', `${script} && ${DONE_MARKER_SH}`, 'sh', path, id], 'Marking the notebooks folder', signal, undefined, DONE_MARKER);
  return { name: path, id };
}

/**
 * The cluster folder a sync uses, by its marker. With nothing recorded, the folder the sessions use
 * is marked (made first when missing) and recorded. A recorded folder that is missing, not a
 * folder, or empty and unmarked is SYNC_ROOT_MISSING (never "everything was deleted"); one whose
 * marker differs, or that holds files but no marker (removed and made again), is
 * SYNC_VOLUME_CHANGED, and so is a recorded folder that is not the one the sessions use.
 */
export async function resolveFolder(host: ExecHost, input: ResolveFolderInput, signal?: AbortSignal): Promise<{ volume: VolumeIdentity; changed: boolean }> {
  const { project, target, folder, recorded, adopt } = input;
  const cmd = (choice: string) => `\`benchtop sync ${sh(project.dir)} --target ${sh(target)} --adopt ${sh(choice)}\``;
  if (adopt === ADOPT_NEW) return { volume: await markFolder(host, folder, signal), changed: true };
  if (adopt) {
    if (!adopt.startsWith('/')) throw new BenchtopError('SYNC_VOLUME_CHANGED', `"${adopt}" is not an absolute folder on ${target}.`, `Give the folder's full path, or adopt a fresh marker: ${cmd(ADOPT_NEW)}.`);
    const state = await folderState(host, adopt, signal);
    if (state.kind === 'marked') return { volume: { name: adopt, id: state.id }, changed: state.id !== recorded?.id || adopt !== recorded?.name };
    if (state.kind === 'not-a-folder') throw new BenchtopError('SYNC_VOLUME_CHANGED', `${adopt} on ${target} is not a folder.`, `Adopt a folder, or a fresh one: ${cmd(ADOPT_NEW)}.`);
    return { volume: await markFolder(host, adopt, signal), changed: true };
  }
  if (!recorded) {
    const state = await folderState(host, folder, signal);
    if (state.kind === 'marked') return { volume: { name: folder, id: state.id }, changed: true };
    if (state.kind === 'not-a-folder') throw rootMissing(target, folder, 'is not a folder', cmd);
    return { volume: await markFolder(host, folder, signal), changed: true };
  }
  const state = await folderState(host, recorded.name, signal);
  if (state.kind === 'missing') throw rootMissing(target, recorded.name, 'is missing', cmd);
  if (state.kind === 'not-a-folder') throw rootMissing(target, recorded.name, 'is not a folder', cmd);
  if (state.kind === 'unmarked' && state.entries === 0) throw rootMissing(target, recorded.name, 'is empty and lost its marker', cmd);
  if (state.kind === 'unmarked' || state.id !== recorded.id) {
    throw new BenchtopError('SYNC_VOLUME_CHANGED',
      `The notebooks folder ${recorded.name} on ${target} is not the one ${project.dir} synced with: it was removed and made again (${state.kind === 'marked' ? `marker ${state.id}` : 'no marker'}, recorded ${recorded.id}). Nothing was synced or deleted.`,
      `To use it as it is now (both sides are merged; nothing is deleted): ${cmd(recorded.name)}.`);
  }
  if (recorded.name !== folder) {
    throw new BenchtopError('SYNC_VOLUME_CHANGED',
      `Sessions of this project on ${target} use the folder ${folder}, but ${project.dir} syncs with ${recorded.name}. Nothing was synced or deleted.`,
      `To sync with the sessions' folder from now on: ${cmd(folder)}.`);
  }
  return { volume: recorded, changed: false };
}

function rootMissing(target: string, path: string, what: string, cmd: (choice: string) => string): BenchtopError {
  return new BenchtopError('SYNC_ROOT_MISSING', `The notebooks folder ${path} on ${target} ${what}, while the last sync saw it. Nothing was synced or deleted.`,
    `Put the folder back (with its .benchtop folder) and sync again; to start it afresh from this computer: ${cmd(ADOPT_NEW)}.`);
}
