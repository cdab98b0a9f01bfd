import { readFile, rename, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { LockfileUpdate, ProjectInfo } from '../../../shared/contract/project';
import type { EngineService } from '../engine/service';
import { BenchtopError, systemCode } from '../errors';
import type { RegistryService } from '../registry/service';
import { diffPackages } from './diff';
import { readImageFile } from './from-image';
import { IMAGE_LOCKFILE_PATH, LOCKFILE_PATH_LABEL, LOCKFILE_SHA_LABEL } from './image-labels';
import { lockfileSha256, parseLockfile, type LockedPackage } from './parse';

export interface LockfileUpdateDeps {
  engines: EngineService;
  registry: RegistryService;
  labels: (image: string) => Promise<Record<string, string>>;
}


const NO_CHANGES = { added: [], removed: [], changed: [] };

async function currentText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (systemCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function packagesOf(text: string | undefined, file: string): LockedPackage[] {
  if (text === undefined) return [];
  try {
    return parseLockfile(text, file);
  } catch {
    // The old file was not a lockfile Benchtop can read: every package of the new one counts as added.
    return [];
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Writes the project's lockfile from the image's copy (at the path its label names), atomically, and
 * says what changed package by package. An image with no lockfile leaves the project's alone.
 */
export async function updateLockfileFromImage(
  deps: LockfileUpdateDeps,
  project: Pick<ProjectInfo, 'dir' | 'lockfilePath'>,
  image: string,
  options: { preview?: boolean } = {},
): Promise<LockfileUpdate> {
  const path = project.lockfilePath;
  const name = relative(project.dir, path);
  let labels: Record<string, string>;
  let text: string | undefined;
  let imagePath = IMAGE_LOCKFILE_PATH;
  try {
    labels = await deps.labels(image);
    imagePath = labels[LOCKFILE_PATH_LABEL] || IMAGE_LOCKFILE_PATH;
    text = await readImageFile({ engines: deps.engines, registry: deps.registry }, image, imagePath);
  } catch (error) {
    const info = error instanceof BenchtopError ? error : new BenchtopError('INTERNAL', String(error));
    return { state: 'failed', path, message: `The lockfile could not be read from ${image}: ${info.message}`, hint: info.hint, ...NO_CHANGES };
  }
  if (text === undefined) {
    return { state: 'none', path, message: `${image} carries no lockfile at ${imagePath}; ${name} was left as it is.`,
      hint: 'Images built with images/publish.sh carry one; other images run without the lockfile check.', ...NO_CHANGES };
  }
  const sha = labels[LOCKFILE_SHA_LABEL];
  if (sha && lockfileSha256(text) !== sha) {
    return { state: 'failed', path, message: `${image}'s ${imagePath} does not match its own ${LOCKFILE_SHA_LABEL} label; ${name} was left as it is.`,
      hint: 'The image was changed after it was built; republish it with images/publish.sh.', ...NO_CHANGES };
  }
  const before = await currentText(path);
  if (before === text) return { state: 'unchanged', path, message: `${name} already is ${image}'s lockfile.`, ...NO_CHANGES };
  const diff = diffPackages(packagesOf(before, path), parseLockfile(text, `${image}:${imagePath}`));
  // A preview (before a pin is confirmed) says what would change and writes nothing.
  if (options.preview) {
    return { state: before === undefined ? 'written' : 'updated', path, message: `Pinning ${image} would ${before === undefined ? 'write' : 'update'} ${name}.`, ...diff };
  }
  const temp = `${path}.benchtop-${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
  if (before === undefined) return { state: 'written', path, message: `Wrote ${name} from ${image} (${plural(diff.added.length, 'package')}).`, ...diff };
  const parts = [diff.added.length && `${diff.added.length} added`, diff.removed.length && `${diff.removed.length} removed`, diff.changed.length && `${diff.changed.length} changed`].filter(Boolean);
  return { state: 'updated', path, message: `Updated ${name} from ${image}: ${parts.join(', ') || 'same packages, other comments or order'}.`, ...diff };
}
