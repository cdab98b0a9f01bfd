import { arch } from 'node:os';
import { normalizeArch } from '../../engine/service';
import type { MachineCheck } from '../types';

export const archCheck: MachineCheck = {
  id: 'arch',
  title: 'Architecture',
  async run(ctx) {
    const host = normalizeArch(arch());
    const [engine, image] = await Promise.all([ctx.engine(), ctx.image()]);
    const engineArch = engine.ok ? engine.info.arch : undefined;
    const platform = `linux/${engineArch ?? host}`;
    const parts = [host];
    if (engineArch && engineArch !== host) parts.push(`engine ${engineArch}`);
    const platforms = image?.platforms ?? [];
    if (platforms.length) parts.push(`image built for ${platforms.join(', ')}`);
    else if (image) parts.push(`image platforms unknown (${image.problem ?? 'not readable'})`);
    const value = parts.join('; ');
    const requirement = image ? `a ${platform} build of the project image` : undefined;
    if (image?.code === 'IMAGE_PLATFORM_MISSING') {
      return { status: 'fail', value: `${host}; ${image.problem ?? ''}`, requirement, code: image.code,
        hint: `Ask the image maintainers to publish ${platform}, or run the session on a GPU host of an architecture the image has.` };
    }
    if (platforms.length && !platforms.includes(platform)) {
      return { status: 'fail', value, requirement, code: 'IMAGE_PLATFORM_MISSING',
        hint: `Ask the image maintainers to publish ${platform} (docker buildx --platform ${[...platforms, platform].join(',')}), or run the session on a GPU host that is ${platforms.join(' or ')}.` };
    }
    if (engineArch && engineArch !== host) {
      return { status: 'warn', value, requirement,
        hint: `The engine runs ${engineArch} containers on this ${host} computer under emulation, which is much slower; use an engine of the native architecture.` };
    }
    return { status: 'pass', value, requirement };
  },
};
