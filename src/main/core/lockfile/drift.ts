import type { DriftReport } from '../../../shared/contract/project';
import type { EngineService } from '../engine/service';
import { diffPackages, proposeLockfile } from './diff';
import { execFailed, execIn } from './exec';
import { parseLockfile } from './parse';

/** The command whose output is the same format as the lockfile (what images/ generates it with). */
export const PIP_FREEZE = ['python3', '-m', 'pip', 'list', '--format=freeze', '--disable-pip-version-check'];

/**
 * Drift of a running container's Python environment from a lockfile: what a `pip install` inside a
 * session added, removed or changed, and the lockfile that would describe the environment now.
 */
export async function driftOf(engines: EngineService, target: string, containerId: string, lockfileText: string, sessionId = containerId): Promise<DriftReport> {
  const locked = parseLockfile(lockfileText);
  const result = await execIn(engines, target, containerId, PIP_FREEZE);
  if (result.exitCode !== 0) throw execFailed('`python3 -m pip list`', containerId, result);
  const installed = parseLockfile(result.stdout, `pip list in ${sessionId}`);
  return { sessionId, ...diffPackages(locked, installed), proposedLockfile: proposeLockfile(lockfileText, installed) };
}
