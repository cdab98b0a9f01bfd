import { compareVersions } from '../cuda-drivers';
import type { MachineCheck } from '../types';

/** API 1.40 (Docker 19.03) added DeviceRequests, which GPU sessions need. */
const MIN_GPU_API = '1.40';

export const engineCheck: MachineCheck = {
  id: 'engine',
  title: 'Container engine',
  async run(ctx) {
    const engine = await ctx.engine();
    if (!engine.ok) {
      const { message } = engine.error;
      const where = engine.endpoint ? `${engine.endpoint.address} (${engine.endpoint.source})` : undefined;
      const value = where && !message.includes(engine.endpoint?.address ?? '') ? `${where}: ${message}` : message;
      return { status: 'fail', value, code: engine.error.code, hint: engine.error.hint };
    }
    const { info } = engine;
    const kind = info.engineKind === 'podman' ? 'Podman' : info.engineKind === 'docker' ? 'Docker' : 'Unknown engine';
    const value = `${kind} ${info.version} (API ${info.apiVersion}), ${info.storageDriver} storage — ${info.endpoint.kind} ${info.endpoint.address} (${info.endpoint.source})`;
    if (info.storageDriver === 'vfs') {
      return { status: 'warn', value, hint: 'The vfs storage driver copies every layer in full: pulls are slow and use much more disk. Configure overlay2.' };
    }
    if (info.engineKind === 'docker' && compareVersions(info.apiVersion, MIN_GPU_API) < 0) {
      return { status: 'warn', value, requirement: `API ≥ ${MIN_GPU_API} for GPU sessions`,
        hint: 'Upgrade Docker to 19.03 or newer to run sessions with GPUs.' };
    }
    return { status: 'pass', value };
  },
};
