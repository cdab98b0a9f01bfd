import type { MachineCheck } from '../types';

const TOOLKIT_HINT = 'Install the NVIDIA Container Toolkit, run `sudo nvidia-ctk runtime configure --runtime=docker` and restart the engine.';

/** Whether the engine can hand GPUs to containers: the nvidia runtime, or CDI devices. */
export const gpuRuntimeCheck: MachineCheck = {
  id: 'gpu-runtime',
  title: 'Engine GPU support',
  async run(ctx) {
    const [gpus, engine] = await Promise.all([ctx.gpus(), ctx.engine()]);
    if (gpus.state !== 'ok') return { status: 'skipped', value: 'no NVIDIA GPU on this computer' };
    if (!engine.ok) return { status: 'skipped', value: 'the engine did not answer' };
    const { runtimes, cdiDevices, engineKind } = engine.info;
    const cdi = cdiDevices.filter((d) => d.startsWith('nvidia.com/gpu'));
    if (cdi.length) return { status: 'pass', value: `${cdi.length} NVIDIA CDI devices (${cdi.slice(0, 3).join(', ')}${cdi.length > 3 ? ', …' : ''})` };
    if (engineKind === 'podman') {
      return { status: 'warn', value: 'Podman lists no nvidia.com/gpu CDI devices', code: 'ENGINE_NO_GPU_RUNTIME',
        hint: 'Podman reaches GPUs only through CDI: run `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`.' };
    }
    if (runtimes.includes('nvidia')) return { status: 'pass', value: `nvidia runtime (runtimes: ${runtimes.join(', ')})` };
    // Older toolkits hook into runc without registering a runtime, so this cannot be a hard fail.
    return { status: 'warn', value: `no nvidia runtime or CDI devices (runtimes: ${runtimes.join(', ') || 'none'})`, code: 'ENGINE_NO_GPU_RUNTIME', hint: TOOLKIT_HINT };
  },
};
