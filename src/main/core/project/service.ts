import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { PinnedImage, ProjectInfo, RecentProject } from '../../../shared/contract/project';
import type { Clock } from '../clock';
import { BenchtopError, systemCode } from '../errors';
import { parseImageRef } from '../registry/image-ref';
import type { SettingsStore } from '../settings/store';
import { parseDevcontainer, type DevcontainerConfig } from './devcontainer';
import { assertProjectDir, DEVCONTAINER_CANDIDATES, locateProject, readDevcontainer } from './files';
import { readPinnedVersion, writeImage } from './image-edit';
import { positionOf } from './jsonc';
import { devcontainerIdFor } from './substitute';
import { DEFAULT_TEMPLATE_IMAGE, devcontainerTemplate, GITIGNORE_LINES } from './template';

export interface ProjectServiceDeps {
  settings: SettingsStore;
  clock: Clock;
  /** Used when a project says nothing about idle minutes. */
  defaultIdleMinutes?: () => number;
  /** For `${localEnv:…}` in devcontainer.json (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
}

export const MAX_RECENT_PROJECTS = 10;

/** `repo` of `repo:tag@digest` exactly as written (no registry defaulting), for pins and messages. */
export function writtenRepository(image: string): string {
  const withoutDigest = image.split('@')[0];
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

function pinnedOf(image: string, text: string, devcontainerPath: string): PinnedImage | null {
  if (!image) return null;
  let ref;
  try {
    ref = parseImageRef(image);
  } catch (error) {
    const at = text.indexOf(JSON.stringify(image));
    const line = at >= 0 ? `:${positionOf(text, at).line}` : '';
    throw new BenchtopError('DEVCONTAINER_INVALID', `${devcontainerPath}${line}: "image" ${(error as BenchtopError).message}`,
      (error as BenchtopError).hint);
  }
  if (!ref.digest) return null;
  const version = readPinnedVersion(text) ?? ref.tag;
  return version === undefined ? { repository: writtenRepository(image), digest: ref.digest } : { repository: writtenRepository(image), digest: ref.digest, version };
}

/**
 * Projects: folders with a devcontainer.json. Reads them into ProjectInfo, creates new ones from the
 * template, remembers recently opened ones, and rewrites the `image` pin in place.
 */
export class ProjectService {
  readonly #deps: ProjectServiceDeps;

  constructor(deps: ProjectServiceDeps) {
    this.#deps = deps;
  }

  /** Reads a project without recording it as recent (for background refreshes). */
  /**
   * `dir` is the project folder, or the devcontainer.json of one of its configurations; `configName`
   * chooses a `.devcontainer/<name>/` configuration by name instead.
   */
  async read(dir: string, configName?: string): Promise<ProjectInfo & { config: DevcontainerConfig; text: string }> {
    const location = locateProject(resolve(dir));
    const root = location.dir;
    await assertProjectDir(root);
    const found = await readDevcontainer(root, configName ?? location.config);
    const { path, text } = found;
    const config = parseDevcontainer(text, path, {
      env: this.#deps.env ?? process.env,
      localWorkspaceFolder: root,
      devcontainerId: devcontainerIdFor(root, path),
    });
    const info: ProjectInfo & { config: DevcontainerConfig; text: string } = {
      dir: root,
      name: config.name ?? basename(root),
      devcontainerPath: path,
      image: config.image,
      pinned: pinnedOf(config.image, text, path),
      hostRequirements: config.hostRequirements,
      notebooksDir: join(root, config.notebooks),
      lockfilePath: join(root, config.lockfile),
      jupyter: config.jupyter,
      idleMinutes: config.idleMinutes ?? this.#deps.defaultIdleMinutes?.() ?? this.#deps.settings.get('idleMinutes'),
      containerEnv: config.containerEnv,
      forwardPorts: config.forwardPorts,
      container: config.container,
      configs: found.configs,
      warnings: config.warnings,
      config,
      text,
    };
    if (found.config !== undefined) info.configName = found.config;
    return info;
  }

  /** Opens a project and records it first in the recent list. */
  async open(dir: string, configName?: string): Promise<ProjectInfo> {
    const { config: _config, text: _text, ...info } = await this.read(dir, configName);
    this.#remember(info);
    return info;
  }

  recent(): RecentProject[] {
    return this.#deps.settings.get('recentProjects');
  }

  /** Creates `.devcontainer/devcontainer.json` from the template (never over an existing one). */
  async create(dir: string, image?: string): Promise<ProjectInfo> {
    const root = resolve(dir);
    if (image !== undefined) parseImageRef(image);
    for (const candidate of DEVCONTAINER_CANDIDATES) {
      const path = join(root, candidate);
      if (await exists(path)) {
        throw new BenchtopError('DEVCONTAINER_EXISTS', `${path} already exists; Benchtop will not overwrite it.`,
          `Open the project instead (\`benchtop versions ${root}\`), or edit that file.`);
      }
    }
    const path = join(root, DEVCONTAINER_CANDIDATES[0]);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, devcontainerTemplate(basename(root), image ?? DEFAULT_TEMPLATE_IMAGE), { flag: 'wx' });
    await mkdir(join(root, 'notebooks'), { recursive: true });
    await addGitignoreLines(join(root, '.gitignore'), GITIGNORE_LINES);
    return this.open(root);
  }

  /** Rewrites the `image` value (and its version comment) in place, atomically. Returns the new text. */
  async writeImage(dir: string, image: string, version: string | undefined, configName?: string): Promise<string> {
    const location = locateProject(resolve(dir));
    const { path, text } = await readDevcontainer(location.dir, configName ?? location.config);
    const next = writeImage(text, image, version);
    // Validate before replacing the user's file: a write never leaves a broken devcontainer.json.
    parseDevcontainer(next, path);
    const temp = `${path}.benchtop-${process.pid}.tmp`;
    await writeFile(temp, next);
    await rename(temp, path);
    return next;
  }

  #remember(info: ProjectInfo): void {
    const entry: RecentProject = { dir: info.dir, name: info.name, openedAt: new Date(this.#deps.clock.now()).toISOString() };
    this.#deps.settings.update('recentProjects', (list) =>
      [entry, ...list.filter((p) => p.dir !== info.dir)].slice(0, MAX_RECENT_PROJECTS));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    return systemCode(error) !== 'ENOENT';
  }
}

async function addGitignoreLines(path: string, lines: string[]): Promise<void> {
  let current = '';
  try {
    current = await readFile(path, 'utf8');
  } catch (error) {
    if (systemCode(error) !== 'ENOENT') throw error;
  }
  const present = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((line) => !present.has(line));
  if (missing.length === 0) return;
  const separator = current && !current.endsWith('\n') ? '\n' : '';
  await writeFile(path, `${current}${separator}${missing.join('\n')}\n`);
}
