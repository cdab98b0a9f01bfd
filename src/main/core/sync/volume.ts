import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { BenchtopError } from '../errors';
import { NOTEBOOKS_ROOT } from './remote-tree';

export const LABEL_PROJECT = 'dev.benchtop.project';
export const LABEL_PROJECT_NAME = 'dev.benchtop.project-name';
export const LABEL_ROLE = 'dev.benchtop.role';

/**
 * The named volume that holds a project's notebooks on a target: one per project folder and per
 * computer it comes from (two laptops with the same path must not share one), readable by name.
 * Sessions on that target mount it at /home/analyst/work.
 */
export function notebooksVolumeName(projectDir: string, projectName: string): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 40) || 'project';
  const hash = createHash('sha256').update(`${hostname()}\0${projectDir}`).digest('hex').slice(0, 10);
  return `benchtop-${slug}-${hash}-notebooks`;
}

export function notebooksVolumeLabels(projectDir: string, projectName: string): Record<string, string> {
  return { [LABEL_PROJECT]: projectDir, [LABEL_PROJECT_NAME]: projectName, [LABEL_ROLE]: 'notebooks', 'dev.benchtop.origin-host': hostname() };
}

export interface NotebooksVolume {
  name: string;
  /** Tells this volume from a later one of the same name (see BaseStore.read). */
  createdAt: string;
}

/** Creates the volume when missing (creating an existing volume with the same name is a no-op). */
export async function ensureNotebooksVolume(docker: Docker, projectDir: string, projectName: string): Promise<NotebooksVolume> {
  const name = notebooksVolumeName(projectDir, projectName);
  await docker.createVolume({ Name: name, Labels: notebooksVolumeLabels(projectDir, projectName) });
  return { name, createdAt: await volumeCreatedAt(docker, name) ?? '' };
}

/** When the volume was made, or undefined when there is none. */
export async function volumeCreatedAt(docker: Docker, name: string): Promise<string | undefined> {
  try {
    const info = (await docker.getVolume(name).inspect()) as { CreatedAt?: string };
    return info.CreatedAt ?? '';
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * A short-lived container of the session's image with the volume mounted, for syncing while no
 * session runs (exec needs a running container). No network, and removed right after.
 */
export async function startSyncHelper(docker: Docker, image: string, volume: string, projectDir: string): Promise<Docker.Container> {
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      Image: image,
      Entrypoint: ['sleep', 'infinity'],
      Cmd: [],
      User: '0:0',
      WorkingDir: NOTEBOOKS_ROOT,
      Labels: { [LABEL_PROJECT]: projectDir, [LABEL_ROLE]: 'sync-helper' },
      NetworkDisabled: true,
      HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: NOTEBOOKS_ROOT }], NetworkMode: 'none', AutoRemove: false },
    });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      throw new BenchtopError('IMAGE_NOT_FOUND', `The image ${image} is not on the target, so its notebooks volume cannot be opened.`,
        'Start a session there once (it pulls the image), then sync again.');
    }
    throw error;
  }
  try {
    await container.start();
  } catch (error) {
    await container.remove({ force: true }).catch(() => undefined);
    throw error;
  }
  return container;
}
