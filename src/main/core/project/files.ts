import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchtopError, systemCode } from '../errors';

/** Where the Dev Containers spec looks, in its order: the folder first, then the root file. */
export const DEVCONTAINER_CANDIDATES = [join('.devcontainer', 'devcontainer.json'), '.devcontainer.json'];

export async function assertProjectDir(dir: string): Promise<void> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      throw new BenchtopError('PROJECT_NOT_FOUND', `${dir} is a file, not a project folder.`, 'Open the folder that holds .devcontainer/devcontainer.json.');
    }
  } catch (error) {
    if (error instanceof BenchtopError) throw error;
    throw new BenchtopError('PROJECT_NOT_FOUND', `The folder ${dir} does not exist (${systemCode(error) ?? String(error)}).`,
      'Check the path, or pick the folder again.');
  }
}

/** Finds and reads devcontainer.json; DEVCONTAINER_MISSING with the way to create one when absent. */
export async function readDevcontainer(dir: string): Promise<{ path: string; text: string }> {
  for (const candidate of DEVCONTAINER_CANDIDATES) {
    const path = join(dir, candidate);
    try {
      return { path, text: await readFile(path, 'utf8') };
    } catch (error) {
      if (systemCode(error) !== 'ENOENT' && systemCode(error) !== 'ENOTDIR') {
        throw new BenchtopError('DEVCONTAINER_INVALID', `${path} cannot be read (${systemCode(error) ?? String(error)}).`,
          'Check the file permissions.');
      }
    }
  }
  throw new BenchtopError(
    'DEVCONTAINER_MISSING',
    `${dir} has no .devcontainer/devcontainer.json, so Benchtop does not know which image to run.`,
    `Create one with \`benchtop init ${dir}\` (or "New project" in the app), then pin an image with \`benchtop pin\`.`,
  );
}
