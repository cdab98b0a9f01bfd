import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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

/** Where a project was asked for: its folder, and the named configuration when one was chosen. */
export interface ProjectLocation {
  dir: string;
  config?: string;
}

/**
 * A project folder, or a devcontainer.json path naming one configuration of it
 * (`proj/.devcontainer/gpu/devcontainer.json` is project `proj`, configuration `gpu`), so every
 * command that takes a folder can also be pointed at one configuration.
 */
export function locateProject(path: string): ProjectLocation {
  const file = basename(path);
  if (file === '.devcontainer.json') return { dir: dirname(path) };
  if (file !== 'devcontainer.json') return { dir: path };
  const parent = dirname(path);
  if (basename(parent) === '.devcontainer') return { dir: dirname(parent) };
  if (basename(dirname(parent)) === '.devcontainer') return { dir: dirname(dirname(parent)), config: basename(parent) };
  return { dir: path };
}

/** The path of a named configuration. */
export function namedConfigPath(dir: string, name: string): string {
  return join(dir, '.devcontainer', name, 'devcontainer.json');
}

/** Names of `.devcontainer/<name>/devcontainer.json` configurations, sorted. */
export async function listConfigs(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await readdir(join(dir, '.devcontainer'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if (systemCode(error) === 'ENOENT' || systemCode(error) === 'ENOTDIR') return [];
    throw error;
  }
  const found = await Promise.all(entries.map(async (name) => ((await isFile(namedConfigPath(dir, name))) ? name : undefined)));
  return found.filter((n): n is string => !!n).sort();
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (systemCode(error) === 'ENOENT' || systemCode(error) === 'ENOTDIR') return undefined;
    throw new BenchtopError('DEVCONTAINER_INVALID', `${path} cannot be read (${systemCode(error) ?? String(error)}).`, 'Check the file permissions.');
  }
}

/**
 * Finds and reads devcontainer.json: the named configuration when one is asked for, else the
 * default file, else the only named configuration. DEVCONTAINER_MISSING says how to create one,
 * or which configurations there are to choose from.
 */
export async function readDevcontainer(dir: string, config?: string): Promise<{ path: string; text: string; config?: string; configs: string[] }> {
  const configs = await listConfigs(dir);
  if (config !== undefined) {
    const path = namedConfigPath(dir, config);
    const text = /^[^/\\]+$/.test(config) && config !== '..' ? await readIfThere(path) : undefined;
    if (text === undefined) {
      throw new BenchtopError('DEVCONTAINER_MISSING', `${dir} has no configuration "${config}" (${path}).`,
        configs.length > 0 ? `Choose one of: ${configs.join(', ')}.` : 'This project has only its default .devcontainer/devcontainer.json; leave out --config.');
    }
    return { path, text, config, configs };
  }
  for (const candidate of DEVCONTAINER_CANDIDATES) {
    const path = join(dir, candidate);
    const text = await readIfThere(path);
    if (text !== undefined) return { path, text, configs };
  }
  if (configs.length === 1) {
    const path = namedConfigPath(dir, configs[0]);
    return { path, text: (await readIfThere(path)) ?? '', config: configs[0], configs };
  }
  if (configs.length > 1) {
    throw new BenchtopError('DEVCONTAINER_MISSING', `${dir} has ${configs.length} configurations (${configs.join(', ')}) and no default .devcontainer/devcontainer.json.`,
      `Choose one: \`--config ${configs[0]}\` on the command line, or open ${namedConfigPath(dir, configs[0])}.`);
  }
  throw new BenchtopError(
    'DEVCONTAINER_MISSING',
    `${dir} has no .devcontainer/devcontainer.json, so Benchtop does not know which image to run.`,
    `Create one with \`benchtop init ${dir}\` (or "New project" in the app), then pin an image with \`benchtop pin\`.`,
  );
}
