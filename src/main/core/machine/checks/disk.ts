import { existsSync } from 'node:fs';
import { platform, release } from 'node:os';
import { freeBytesAt, UNPACK_FACTOR } from '../../pull/disk';
import { gib } from '../format';
import { sizeRequirement } from '../requirements';
import type { EngineFacts, MachineCheck } from '../types';

/** Below this, even a project with no storage requirement will soon fail to pull or save. */
const LOW_DISK_BYTES = 2 * 2 ** 30;
const DEFAULT_DATA_ROOT = '/var/lib/docker';

/**
 * Where the engine keeps images, when that folder is on this computer's own disk. An engine in a VM
 * (Docker Desktop, Colima, a remote host) runs another kernel; its folder is not ours to measure.
 */
function localDataRoot(engine: EngineFacts): { dir: string; note?: string } | { dir?: undefined; why: string } {
  if (platform() !== 'linux') return { why: 'the engine keeps images inside its VM' };
  if (!engine.ok) {
    return existsSync(DEFAULT_DATA_ROOT)
      ? { dir: DEFAULT_DATA_ROOT, note: 'the engine did not answer; measured its default data folder' }
      : { why: 'the engine did not answer, so where it keeps images is unknown' };
  }
  const { endpoint, kernelVersion, dockerRootDir } = engine.info;
  if (endpoint.kind !== 'unix' || kernelVersion !== release()) return { why: `the engine at ${endpoint.address} runs in a VM or on another machine` };
  if (!dockerRootDir) return { why: 'the engine did not say where it keeps images' };
  return { dir: dockerRootDir };
}

export const diskCheck: MachineCheck = {
  id: 'disk',
  title: 'Free disk',
  async run(ctx) {
    const [engine, image] = await Promise.all([ctx.engine(), ctx.image()]);
    const root = localDataRoot(engine);
    const storage = sizeRequirement(ctx.requirements.storage, ctx.requirements.storageBytes);
    const pull = image && !image.present && image.sizeBytes ? image.sizeBytes * UNPACK_FACTOR : 0;
    const parts: string[] = [];
    if (storage.kind === 'ok') parts.push(`${gib(storage.value)} (hostRequirements.storage ${storage.written})`);
    if (pull) parts.push(`~${gib(pull)} to pull and unpack the image`);
    const need = (storage.kind === 'ok' ? storage.value : 0) + pull;
    const requirement = need ? `≥ ${gib(need)}: ${parts.join(' + ')}` : undefined;
    if (root.dir === undefined) {
      return { status: 'skipped', value: `not measured: ${root.why}`, requirement,
        hint: 'Check the engine’s disk size in its own settings (Docker Desktop: Settings → Resources → Disk).' };
    }
    const free = await freeBytesAt(root.dir);
    if (free === undefined) return { status: 'skipped', value: `${root.dir} cannot be measured by this user`, requirement };
    const value = `${gib(free)} free at ${root.dir}${root.note ? ` (${root.note})` : ''}`;
    const fix = 'Free space there (remove unused images: `docker image prune`) or move the engine’s data-root to a larger disk.';
    if (storage.kind === 'invalid') {
      return { status: 'warn', value, requirement: `hostRequirements.storage is ${storage.written}`,
        hint: 'Write hostRequirements.storage as a size, e.g. "storage": "32gb".' };
    }
    if (need > free) return { status: 'fail', value, requirement, code: 'DISK_FULL', hint: fix };
    if (free - need < LOW_DISK_BYTES) return { status: 'warn', value, requirement, hint: `Less than ${gib(LOW_DISK_BYTES)} would be left. ${fix}` };
    return { status: 'pass', value, requirement };
  },
};
