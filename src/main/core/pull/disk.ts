import { statfs as statfsCb } from 'node:fs';
import { promisify } from 'node:util';
import { BenchtopError } from '../errors';

// node:fs with promisify, not node:fs/promises: that module loads a dozen more on first use, which
// `benchtop check` pays for at start-up.
const statfs = promisify(statfsCb);

/**
 * Layers arrive compressed and are then unpacked next to the compressed copy, so a pull needs
 * clearly more room than the registry's (compressed) size. Twice is the usual gzip ratio for
 * Python environments; erring high here costs a warning, erring low costs a half-written layer.
 */
export const UNPACK_FACTOR = 2;

/** Free bytes on the filesystem holding `dir`, or undefined when this process cannot see it (a VM's disk). */
export async function freeBytesAt(dir: string): Promise<number | undefined> {
  if (!dir) return undefined;
  try {
    const fs = await statfs(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return undefined;
  }
}

/** Throws DISK_FULL before a pull that cannot fit. Unknown sizes pass: the engine will say if it runs out. */
export function assertRoomForPull(ref: string, compressedBytes: number | undefined, freeBytes: number | undefined, where: string): void {
  if (!compressedBytes || freeBytes === undefined) return;
  const needed = compressedBytes * UNPACK_FACTOR;
  if (needed > freeBytes) {
    const gb = (n: number) => `${(n / 1e9).toFixed(1)} GB`;
    throw new BenchtopError('DISK_FULL',
      `Pulling ${ref} needs about ${gb(needed)} but only ${gb(freeBytes)} is free at ${where}.`,
      'Free space there (e.g. remove unused images with `docker image prune`) or move the engine’s data folder to a larger disk.');
  }
}
