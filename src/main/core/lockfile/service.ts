import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { DriftReport, LockfileStatus, LockfileUpdate, ProjectInfo } from '../../../shared/contract/project';
import type { EngineService } from '../engine/service';
import { LOCAL } from '../engine/service';
import { BenchtopError, systemCode } from '../errors';
import type { ProjectService } from '../project/service';
import type { RegistryService } from '../registry/service';
import { LABEL } from '../session/labels';
import { driftOf } from './drift';
import { updateLockfileFromImage } from './update';
import { execIn } from './exec';
import { lockfileSha256, parseLockfile } from './parse';

import { IMAGE_LOCKFILE_PATH, LOCKFILE_PATH_LABEL, LOCKFILE_SHA_LABEL } from './image-labels';

export { IMAGE_LOCKFILE_PATH, LOCKFILE_PATH_LABEL, LOCKFILE_SHA_LABEL };

export interface LockfileServiceDeps {
  engines: EngineService;
  registry: RegistryService;
  projects: ProjectService;
  /** Which target a session runs on (the sessions service knows; without it, `local`). */
  sessionTarget?: (sessionId: string) => Promise<string>;
}

interface ContainerInspect {
  Id: string;
  State?: { Running?: boolean; Status?: string };
  Config?: { Labels?: Record<string, string> | null };
}

/** Reads the project's lockfile; undefined when it does not exist. Garbage is LOCKFILE_INVALID. */
export async function readProjectLockfile(project: Pick<ProjectInfo, 'lockfilePath'>): Promise<{ text: string; sha256: string } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(project.lockfilePath);
  } catch (error) {
    if (systemCode(error) === 'ENOENT') return undefined;
    throw new BenchtopError('LOCKFILE_INVALID', `${project.lockfilePath} cannot be read (${systemCode(error) ?? String(error)}).`, 'Check the file permissions.');
  }
  const text = bytes.toString('utf8');
  parseLockfile(text, project.lockfilePath);
  return { text, sha256: lockfileSha256(bytes) };
}

/**
 * The project's lockfile against its pinned image: the image carries the sha256 of its own copy in a
 * label, so comparing needs no pull — the local engine's copy when present, else the registry's config.
 */
export class LockfileService {
  readonly #deps: LockfileServiceDeps;

  constructor(deps: LockfileServiceDeps) {
    this.#deps = deps;
  }

  async status(dir: string): Promise<LockfileStatus> {
    const project = await this.#deps.projects.read(dir);
    const name = relative(project.dir, project.lockfilePath);
    const local = await readProjectLockfile(project);
    if (!local) {
      return {
        state: 'missing',
        message: `The project has no lockfile at ${name}.`,
        hint: 'Write it from the pinned image: `benchtop pin` (the lockfile comes with the pin).',
      };
    }
    if (!project.image) {
      return { state: 'unknown', projectSha256: local.sha256, message: 'devcontainer.json names no image to compare the lockfile with.', hint: 'Set "image" and pin it with `benchtop pin`.' };
    }
    let labels: Record<string, string>;
    try {
      labels = await this.imageLabels(project.image);
    } catch (error) {
      const info = error instanceof BenchtopError ? error : new BenchtopError('INTERNAL', String(error));
      return { state: 'unknown', projectSha256: local.sha256, message: `The image's lockfile could not be read: ${info.message}`, hint: info.hint };
    }
    const imageSha256 = labels[LOCKFILE_SHA_LABEL];
    if (!imageSha256) {
      return { state: 'unknown', projectSha256: local.sha256, message: `${project.image} has no ${LOCKFILE_SHA_LABEL} label, so its lockfile cannot be compared.`,
        hint: 'Build the image with images/publish.sh, which adds the label.' };
    }
    if (imageSha256 === local.sha256) {
      return { state: 'match', projectSha256: local.sha256, imageSha256, message: `${name} matches the image's lockfile.` };
    }
    return { state: 'differs', projectSha256: local.sha256, imageSha256, ...mismatchText(project, labels) };
  }

  /**
   * Writes the project's lockfile from its image (the pinned one, or `image`): the lockfile comes
   * with the pin, so `init`, `pin`, `up` is all a new project needs. Never throws for a lockfile it
   * cannot read: the pin stands, and the answer says why the lockfile did not follow.
   */
  async updateFromImage(dir: string, image?: string, options: { preview?: boolean } = {}): Promise<LockfileUpdate> {
    const project = await this.#deps.projects.read(dir);
    const ref = image ?? (project.pinned ? `${project.pinned.repository}@${project.pinned.digest}` : project.image);
    return updateLockfileFromImage({ engines: this.#deps.engines, registry: this.#deps.registry, labels: (i) => this.imageLabels(i) }, project, ref, options);
  }

  /** Throws LOCKFILE_MISMATCH (or LOCKFILE_MISSING) unless the project's lockfile is the image's. Sessions call this before starting. */
  async assertMatches(project: ProjectInfo, imageLabels: Record<string, string>): Promise<void> {
    const local = await readProjectLockfile(project);
    // An image that carries no lockfile (a jupyter/docker-stacks image) has nothing to compare with.
    if (!local && !imageLabels[LOCKFILE_SHA_LABEL]) return;
    if (!local) {
      throw new BenchtopError('LOCKFILE_MISSING', `The project has no lockfile at ${project.lockfilePath}.`,
        `Write it from the pinned image with \`benchtop pin\` (the lockfile comes with the pin), or set customizations.benchtop.lockfile.`);
    }
    const imageSha256 = imageLabels[LOCKFILE_SHA_LABEL];
    if (imageSha256 && imageSha256 !== local.sha256) {
      const { message, hint } = mismatchText(project, imageLabels);
      throw new BenchtopError('LOCKFILE_MISMATCH', message, hint);
    }
  }

  /** Labels of an image: from the local engine when it has the image, else from the registry. */
  async imageLabels(image: string): Promise<Record<string, string>> {
    try {
      const inspect = (await this.#deps.engines.call(LOCAL, 'image inspect', (d) => d.getImage(image).inspect())) as { Config?: { Labels?: Record<string, string> | null } };
      return inspect.Config?.Labels ?? {};
    } catch {
      // Not pulled yet, or no engine: the registry knows the labels too.
    }
    return (await this.#deps.registry.resolve(image)).config.labels;
  }

  /** Drift of a session's environment (on whichever target it runs) from the project's lockfile, or the image's when the project is not here. */
  async drift(sessionId: string): Promise<DriftReport> {
    const target = this.#deps.sessionTarget ? await this.#deps.sessionTarget(sessionId) : LOCAL;
    const container = await this.#session(target, sessionId);
    const projectDir = container.Config?.Labels?.[LABEL.project];
    let text: string | undefined;
    if (projectDir) {
      // The project folder may be gone or moved: the image's own lockfile is compared instead (below).
      const project = await this.#deps.projects.read(projectDir).catch(() => undefined); // gone or moved: the image's lockfile below
      if (project) text = (await readProjectLockfile(project))?.text;
    }
    if (text === undefined) {
      const path = container.Config?.Labels?.[LOCKFILE_PATH_LABEL] || IMAGE_LOCKFILE_PATH;
      const result = await execIn(this.#deps.engines, target, container.Id, ['cat', path]);
      if (result.exitCode !== 0) {
        throw new BenchtopError('LOCKFILE_MISSING', `Session ${sessionId} has no project lockfile here and its image has none at ${path}.`, 'Open the project on this computer and try again.');
      }
      text = result.stdout;
    }
    return driftOf(this.#deps.engines, target, container.Id, text, sessionId);
  }

  async #session(target: string, sessionId: string): Promise<ContainerInspect> {
    let inspect: ContainerInspect;
    try {
      inspect = (await this.#deps.engines.call(target, 'container inspect', (d) => d.getContainer(sessionId).inspect())) as ContainerInspect;
    } catch (error) {
      if (error instanceof BenchtopError && error.code === 'NOT_FOUND') inspect = { Id: '' };
      else throw error;
    }
    if (!inspect.Id || inspect.Config?.Labels?.[LABEL.session] !== '1') {
      throw new BenchtopError('SESSION_NOT_FOUND', `There is no Benchtop session "${sessionId}" on ${target === LOCAL ? 'this computer' : target}.`, 'See the running sessions with `benchtop ps`.');
    }
    if (!inspect.State?.Running) {
      throw new BenchtopError('CONTAINER_EXITED', `Session ${sessionId} is not running (${inspect.State?.Status ?? 'stopped'}), so its packages cannot be listed.`,
        'Start it again, then check drift.');
    }
    return inspect;
  }
}

function mismatchText(project: ProjectInfo, labels: Record<string, string>): { message: string; hint: string } {
  const name = relative(project.dir, project.lockfilePath);
  const version = labels['org.opencontainers.image.version'];
  const imagePath = labels[LOCKFILE_PATH_LABEL] || IMAGE_LOCKFILE_PATH;
  return {
    message: `The project's lockfile ${project.lockfilePath} differs from the image's ${imagePath} (${project.image}${version ? `, version ${version}` : ''}).`,
    hint: `Pin the image version built from this lockfile (\`benchtop versions\`, \`benchtop pin <version>\`), or take the image's copy into ${name} (from ${imagePath}) by pinning again: \`benchtop pin${version ? ` ${version}` : ''}\`.`,
  };
}
