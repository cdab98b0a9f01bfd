import { createHash, randomUUID } from 'node:crypto';
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

export const LABEL_VOLUME_ID = 'dev.benchtop.volume-id';
const STALE_HELPER_S = 3600;

export interface NotebooksVolume {
  name: string;
  /**
   * A random id given when Benchtop creates the volume (a label, so it never changes): a volume
   * removed and made again is a new, empty one, and the old base must not read as "all deleted".
   * Empty for a volume someone else created.
   */
  id: string;
}

/** Creates the volume when missing, with a fresh id; an existing one keeps its id. */
export async function ensureNotebooksVolume(docker: Docker, projectDir: string, projectName: string): Promise<NotebooksVolume> {
  const name = notebooksVolumeName(projectDir, projectName);
  const existing = await volumeId(docker, name);
  if (existing !== undefined) return { name, id: existing };
  const id = randomUUID();
  await docker.createVolume({ Name: name, Labels: { ...notebooksVolumeLabels(projectDir, projectName), [LABEL_VOLUME_ID]: id } });
  // Two syncs racing to create it: whichever label the engine kept is the id.
  return { name, id: (await volumeId(docker, name)) ?? id };
}

/** The volume's id label ('' when it has none), or undefined when there is no such volume. */
export async function volumeId(docker: Docker, name: string): Promise<string | undefined> {
  try {
    const info = (await docker.getVolume(name).inspect()) as { Labels?: Record<string, string> | null };
    return info.Labels?.[LABEL_VOLUME_ID] ?? '';
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
  // Helpers left by a process that died mid-sync (an hour is far longer than any sync's helper
  // lives; younger ones may belong to another Benchtop process syncing right now).
  const helpers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_ROLE}=sync-helper`, `${LABEL_PROJECT}=${projectDir}`] } });
  const stale = helpers.filter((c) => Date.now() / 1000 - c.Created > STALE_HELPER_S);
  await Promise.all(stale.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
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
