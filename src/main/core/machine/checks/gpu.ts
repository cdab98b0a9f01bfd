import { describeGpus } from '../../gpu/nvidia-smi';
import { gpuRequirement } from '../requirements';
import type { CheckOutcome, MachineCheck } from '../types';

const ELSEWHERE = 'Run this project on a GPU host (Hosts → Add host, or `benchtop host add`) or a cloud GPU VM.';

export const gpuCheck: MachineCheck = {
  id: 'gpu',
  title: 'NVIDIA GPU',
  async run(ctx) {
    const need = gpuRequirement(ctx.requirements);
    const wanted = need.kind === 'ok' ? need.value : 'no';
    const requirement = need.kind === 'ok' ? `${wanted === 'required' ? 'a GPU' : 'a GPU if available'} (hostRequirements.gpu ${need.written})` : undefined;
    const outcome = await ctx.gpus();
    let result: CheckOutcome;
    if (outcome.state === 'ok') {
      result = { status: 'pass', value: describeGpus(outcome.gpus), requirement };
    } else if (outcome.state === 'none' || outcome.state === 'missing') {
      const value = `no NVIDIA GPU (${outcome.detail})`;
      if (wanted === 'required') result = { status: 'fail', value, requirement, code: 'GPU_REQUIRED', hint: ELSEWHERE };
      else if (wanted === 'optional') result = { status: 'warn', value, requirement, hint: `The project runs here without GPU acceleration. ${ELSEWHERE}` };
      else result = { status: 'skipped', value };
    } else if (outcome.state === 'driver-error') {
      result = { status: wanted === 'required' ? 'fail' : 'warn', value: `the NVIDIA driver is not working: ${outcome.detail}`, requirement,
        code: 'GPU_UNAVAILABLE', hint: 'Reinstall the NVIDIA driver, or reboot after a kernel or driver update, until `nvidia-smi` lists the GPUs.' };
    } else {
      // A hung or failing nvidia-smi says nothing about whether GPUs exist: warn, never block on it.
      result = { status: 'warn', value: outcome.detail, requirement, code: 'GPU_UNAVAILABLE',
        hint: outcome.state === 'timeout' ? 'The NVIDIA driver seems wedged: run `nvidia-smi` yourself; reboot if it hangs.' : 'Run `nvidia-smi` yourself to see what is wrong.' };
    }
    if (need.kind === 'invalid' && result.status !== 'fail') {
      return { ...result, status: 'warn', requirement: `hostRequirements.gpu is ${need.written}`, hint: 'Write hostRequirements.gpu as true, false or "optional".' };
    }
    return result;
  },
};
