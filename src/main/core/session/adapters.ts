import { mkdir, stat } from 'node:fs/promises';
import type { ProjectInfo } from '../../../shared/contract/project';
import { BenchtopError } from '../errors';
import { LOCAL } from '../engine/service';
import type { Operation } from '../operation';

/**
 * The seams between sessions and the other domains. Port access and workspaces have local defaults
 * here; the hosts and sync services wrap them for remote targets (see core.ts).
 */

/** How this computer reaches a port on the target's 127.0.0.1. Identity for `local`; SSH forwards otherwise. */
export interface PortAccess {
  localPort(target: string, remotePort: number): Promise<number>;
}

export const directPortAccess: PortAccess = {
  async localPort(target, remotePort) {
    if (target !== LOCAL) {
      throw new BenchtopError('HOST_UNREACHABLE', `No way to reach port ${remotePort} on ${target} from this computer yet.`,
        'Add the host on the Hosts page so Benchtop can forward its ports over SSH.');
    }
    return remotePort;
  },
};

/** Where the session's files live on the target, and whom the container runs as. */
export interface SessionMounts {
  notebooksDir: string;
  /** The project's lockfile, mounted read-only; absent when the project has none. */
  lockfile?: string;
  /** `uid:gid` for the container, so files it writes stay the user's own. */
  user?: string;
}

export interface WorkspaceResolver {
  /** `op`: the start that needs the mounts (preparing them, e.g. a sync, is a visible child step of it). */
  mounts(target: string, project: ProjectInfo, op?: Operation): Promise<SessionMounts>;
}

/** Local sessions mount the project folder itself; the hosts service supplies remote folders. */
export const localWorkspace: WorkspaceResolver = {
  async mounts(target, project) {
    if (target !== LOCAL) {
      throw new BenchtopError('HOST_NOT_FOUND', `Sessions on ${target} need the hosts service to place the notebooks there.`, 'Add the host first.');
    }
    // Created here, as the user: left to the engine, a missing folder would be created owned by root.
    await mkdir(project.notebooksDir, { recursive: true });
    const lockfile = (await isFile(project.lockfilePath)) ? project.lockfilePath : undefined;
    const user = process.platform === 'linux' && process.getuid && process.getgid ? `${process.getuid()}:${process.getgid()}` : undefined;
    return { notebooksDir: project.notebooksDir, lockfile, user };
  },
};

/** GPU leases on the target (core.gpus). */
export interface GpuLeaser {
  /** All or nothing; with `wait`, a claim that cannot be met now waits in the host's queue under that operation. */
  claim(target: string, want: { count: number; idleMinutes?: number }, sessionId: string, image: string, wait?: Operation): Promise<string[]>;
  release(sessionId: string, target: string): Promise<unknown>;
  /** Before a session starts on a target: its host agent runs (idle stop, expiry, queue with the laptop closed). */
  prepare?(target: string, image: string): Promise<unknown>;
}

/** Throws LOCKFILE_MISMATCH when the project's lockfile and the image's label disagree (core.lockfiles). */
export type LockfileCheck = (project: ProjectInfo, imageLabels: Record<string, string>) => Promise<void>;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
