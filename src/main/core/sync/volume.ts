import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import { BenchtopError } from '../errors';
import { isOwnedBy, ownerFromLabels, ownerLabels, type Owner } from '../identity/owner';
import { NOTEBOOKS_ROOT } from './remote-tree';
import type { VolumeIdentity } from './sync-state';

export const LABEL_PROJECT = 'dev.benchtop.project';
export const LABEL_PROJECT_NAME = 'dev.benchtop.project-name';
export const LABEL_ROLE = 'dev.benchtop.role';
export const LABEL_VOLUME_ID = 'dev.benchtop.volume-id';
const STALE_HELPER_S = 3600;

/**
 * The name a project's notebooks volume gets when it is first made: readable (the project's name
 * at that moment) and distinct per project folder. Only a first choice: the volume actually used is
 * the identity recorded in the sync state (sync-state.ts), so renaming the project later changes
 * nothing, and a name another owner already holds is never shared (see createNotebooksVolume).
 */
export function notebooksVolumeName(projectDir: string, projectName: string): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 40) || 'project';
  const hash = createHash('sha256').update(projectDir).digest('hex').slice(0, 10);
  return `benchtop-${slug}-${hash}-notebooks`;
}

export interface VolumeFacts {
  identity: VolumeIdentity;
  owner?: Owner;
  labels: Record<string, string>;
}

/** What the engine says about a volume, or undefined when there is none of that name. */
export async function inspectVolume(docker: Docker, name: string): Promise<VolumeFacts | undefined> {
  try {
    const info = (await docker.getVolume(name).inspect()) as { Labels?: Record<string, string> | null };
    const labels = info.Labels ?? {};
    // A volume made outside Benchtop has no id label, and nothing else about it is stable (the
    // engine's CreatedAt moves as the volume is written to). Replacing Benchtop's labelled volume
    // with one still reads as a change; a hand-made one re-made by hand is caught as an emptied root
    // (SYNC_ROOT_MISSING) instead, which deletes nothing either.
    const id = labels[LABEL_VOLUME_ID] || 'unlabelled';
    return { identity: { name, id }, owner: ownerFromLabels(labels), labels };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * Makes a new notebooks volume owned by `owner`, with a fresh id label. Creating a volume whose name
 * exists returns the old one silently, so the id read back tells whether this call made it; a name
 * held by another volume gets a random suffix instead.
 */
export async function createNotebooksVolume(docker: Docker, project: { dir: string; name: string }, owner: Owner, fresh = false): Promise<VolumeIdentity> {
  const first = notebooksVolumeName(project.dir, project.name);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const name = attempt === 0 && !fresh ? first : first.replace(/-notebooks$/, `-${randomBytes(3).toString('hex')}-notebooks`);
    const id = randomUUID();
    await docker.createVolume({
      Name: name,
      Labels: { [LABEL_PROJECT]: project.dir, [LABEL_PROJECT_NAME]: project.name, [LABEL_ROLE]: 'notebooks', [LABEL_VOLUME_ID]: id, ...ownerLabels(owner) },
    });
    const made = await inspectVolume(docker, name);
    if (made?.identity.id === id) return made.identity;
    // Two of this owner's syncs racing to make the first name: the one the engine kept is ours too.
    if (made && attempt === 0 && !fresh && isOwnedBy(made.labels, owner) && made.labels[LABEL_PROJECT] === project.dir && made.labels[LABEL_VOLUME_ID]) return made.identity;
  }
  throw new BenchtopError('SYNC_FAILED', `Could not make a notebooks volume for ${project.dir}: every name tried was taken.`, 'Remove unused benchtop-* volumes on the host and try again.');
}

/** A container's full id and the named volume it mounts at the notebooks folder, if any. */
export async function mountedVolume(container: Docker.Container): Promise<{ containerId: string; volume?: string }> {
  const info = (await container.inspect()) as { Id: string; Mounts?: { Type?: string; Name?: string; Destination?: string }[] };
  return { containerId: info.Id, volume: info.Mounts?.find((m) => m.Destination === NOTEBOOKS_ROOT && m.Type === 'volume')?.Name };
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
  // A helper that cannot be removed now is retried by the next sync; it holds no data of its own.
  await Promise.all(stale.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined))); // see above: retried next sync
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
    await container.remove({ force: true }).catch(() => undefined); // the start error is the one to report
    throw error;
  }
  return container;
}
