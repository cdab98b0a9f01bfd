import type Docker from 'dockerode';
import { BenchtopError } from '../errors';
import { isOwnedBy, type Owner } from '../identity/owner';
import type { VolumeIdentity } from './sync-state';
import { createNotebooksVolume, inspectVolume } from './volume';

/** `--adopt new`: make a fresh volume and fill it from this computer. */
export const ADOPT_NEW = 'new';

export interface ResolveVolumeInput {
  project: { dir: string; name: string };
  target: string;
  owner: Owner;
  /** What the sync state recorded, if anything. */
  recorded?: VolumeIdentity;
  /** The volume the running session container mounts, when the sync goes through it. */
  mounted?: string;
  /** The user chose a volume: `new` or an existing volume's name. */
  adopt?: string;
}

export interface ResolvedVolume {
  volume: VolumeIdentity;
  /** True when the identity differs from the recorded one (to be recorded; its base starts empty). */
  changed: boolean;
}

const sh = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/**
 * The volume a sync (or a session start) uses. The recorded identity rules; nothing is derived from
 * names. With nothing recorded yet, the volume the session mounts, else a new one, becomes the
 * identity. A recorded volume that is gone, was made again, or is not the one the session mounts
 * stops with SYNC_VOLUME_CHANGED naming both, and the hint says how to adopt one.
 */
export async function resolveVolume(docker: Docker, input: ResolveVolumeInput): Promise<ResolvedVolume> {
  const { project, target, owner, recorded, mounted, adopt } = input;
  const cmd = (choice: string) => `\`benchtop sync ${sh(project.dir)} --target ${sh(target)} --adopt ${sh(choice)}\``;
  if (adopt === ADOPT_NEW) {
    const volume = await createNotebooksVolume(docker, project, owner, recorded !== undefined);
    return { volume, changed: true };
  }
  if (adopt) {
    const facts = await inspectVolume(docker, adopt);
    if (!facts) {
      throw new BenchtopError('SYNC_VOLUME_CHANGED', `There is no volume named ${adopt} on ${target} to adopt.`, `List them with \`docker volume ls\` on the host, or adopt a fresh one: ${cmd(ADOPT_NEW)}.`);
    }
    if (facts.owner && !isOwnedBy(facts.labels, owner)) {
      throw new BenchtopError('NOT_OWNER', `The volume ${adopt} on ${target} belongs to ${facts.owner.name}, not to you.`, 'Adopt one of your own volumes, or a fresh one with --adopt new.');
    }
    return { volume: facts.identity, changed: facts.identity.id !== recorded?.id || facts.identity.name !== recorded?.name };
  }
  if (!recorded) {
    if (mounted) {
      const facts = await inspectVolume(docker, mounted);
      if (facts && (!facts.owner || isOwnedBy(facts.labels, owner))) return { volume: facts.identity, changed: true };
    }
    return { volume: await createNotebooksVolume(docker, project, owner), changed: true };
  }
  const now = await inspectVolume(docker, recorded.name);
  if (!now) {
    throw new BenchtopError('SYNC_VOLUME_CHANGED',
      `The notebooks volume ${recorded.name} that ${project.dir} syncs with on ${target} is gone${mounted ? `; the session mounts ${mounted}` : ''}. Nothing was synced or deleted.`,
      mounted ? `Adopt the session's volume: ${cmd(mounted)}; or a fresh one: ${cmd(ADOPT_NEW)}. Nothing on this computer is deleted either way.`
        : `Adopt a fresh volume, filled from this computer: ${cmd(ADOPT_NEW)}. Nothing on this computer is deleted.`);
  }
  if (now.identity.id !== recorded.id) {
    throw new BenchtopError('SYNC_VOLUME_CHANGED',
      `The volume ${recorded.name} on ${target} is not the one ${project.dir} synced with: it was removed and made again (id ${now.identity.id}, recorded ${recorded.id}). Nothing was synced or deleted.`,
      `To use it as it is now (both sides are merged; nothing is deleted): ${cmd(recorded.name)}.`);
  }
  if (mounted && mounted !== recorded.name) {
    throw new BenchtopError('SYNC_VOLUME_CHANGED',
      `The session on ${target} mounts the volume ${mounted}, but ${project.dir} syncs with ${recorded.name}. Nothing was synced or deleted.`,
      `To sync with the session's volume from now on: ${cmd(mounted)}. To keep ${recorded.name}, restart the session so it mounts it.`);
  }
  return { volume: recorded, changed: false };
}
