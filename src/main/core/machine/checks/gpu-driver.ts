import { compareVersions, driverVerdict } from '../cuda-drivers';
import type { MachineCheck } from '../types';

/** Whether the driver is new enough for the CUDA release the pinned image was built with. */
export const gpuDriverCheck: MachineCheck = {
  id: 'gpu-driver',
  title: 'GPU driver for the image',
  async run(ctx) {
    const gpus = await ctx.gpus();
    if (gpus.state !== 'ok') return { status: 'skipped', value: 'no NVIDIA GPU on this computer' };
    const drivers = gpus.gpus.map((g) => g.driverVersion).filter(Boolean).sort(compareVersions);
    if (!drivers.length) return { status: 'skipped', value: 'nvidia-smi did not report a driver version' };
    const driver = drivers[0];
    const image = await ctx.image();
    if (!image) return { status: 'skipped', value: `driver ${driver}; no project image to compare with` };
    if (!image.cudaVersion) {
      return { status: 'skipped', value: `driver ${driver}; ${image.problem ? `image labels unknown (${image.problem})` : 'the image declares no CUDA version (dev.benchtop.cuda)'}` };
    }
    const verdict = driverVerdict(image.cudaVersion, driver);
    const value = `driver ${driver}, image built for CUDA ${image.cudaVersion}`;
    if (verdict.status === 'unknown') {
      return { status: 'warn', value, hint: `Benchtop does not know CUDA ${image.cudaVersion}; check NVIDIA's CUDA release notes for the driver it needs.` };
    }
    const requirement = `driver ≥ ${verdict.needs} for CUDA ${image.cudaVersion}`;
    const upgrade = `Upgrade the NVIDIA driver to ${verdict.needs} or newer, or pin an image built for an older CUDA.`;
    if (verdict.status === 'pass') return { status: 'pass', value, requirement };
    if (verdict.status === 'warn') {
      return { status: 'warn', value, requirement,
        hint: `Runs under CUDA minor-version compatibility (driver ≥ ${verdict.floor}), but PTX JIT and newer APIs fail. ${upgrade}` };
    }
    return { status: 'fail', value, requirement, code: 'GPU_UNAVAILABLE', hint: upgrade };
  },
};
