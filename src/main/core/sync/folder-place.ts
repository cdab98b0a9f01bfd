import type { ExecHost } from './exec-host';
import { resolveFolder } from './folder-identity';
import { RemoteTree } from './remote-tree';
import type { VolumeIdentity } from './sync-state';

/**
 * A target whose notebooks live in a folder on an SSH machine (a Slurm cluster's shared file
 * system) instead of a Docker volume: where the sync's helper runs (ssh exec on the host's
 * connection), and which folder this project's sessions there use.
 */
export interface FolderPlace {
  host: ExecHost;
  /** The folder the project's sessions on this target mount (absolute, on the host). */
  folderOf(project: { dir: string; name: string }): Promise<string>;
}

/** The remote side of a sync with a folder target: its identity resolved by marker, and the tree under it. */
export async function openFolder(place: FolderPlace, input: { project: { dir: string; name: string }; target: string; recorded?: VolumeIdentity; adopt?: string },
  signal?: AbortSignal): Promise<{ volume: VolumeIdentity; changed: boolean; tree: RemoteTree }> {
  const folder = await place.folderOf(input.project);
  const { volume, changed } = await resolveFolder(place.host, { ...input, folder }, signal);
  return { volume, changed, tree: new RemoteTree(place.host, volume.name) };
}
