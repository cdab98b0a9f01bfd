import type { Client } from 'ssh2';
import type { FolderPlace } from './folder-place';
import { SshFolderHost } from './ssh-folder-host';

export interface ClusterFolderDeps {
  /** Whether the target is a Slurm cluster (its notebooks are a folder on its shared file system). */
  isCluster(target: string): boolean;
  /** The cluster login node's one verified ssh2 connection. */
  client(target: string): Promise<Client>;
  /** The folder a project's jobs mount on that cluster. */
  notebooksFolder(target: string, projectName: string): Promise<string>;
}

/**
 * The sync's `folders` for Slurm clusters: one SshFolderHost per cluster, kept, so the sync's helper
 * process on the login node is reused from one sync to the next (the watcher syncs every few seconds).
 */
export function clusterFolders(deps: ClusterFolderDeps): (target: string) => FolderPlace | undefined {
  const hosts = new Map<string, SshFolderHost>();
  return (target) => {
    if (!deps.isCluster(target)) return undefined;
    let host = hosts.get(target);
    if (!host) hosts.set(target, (host = new SshFolderHost(target, `ssh:${target}`, () => deps.client(target))));
    return { host, folderOf: (project) => deps.notebooksFolder(target, project.name) };
  };
}
