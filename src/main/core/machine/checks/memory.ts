import { totalmem } from 'node:os';
import { gib } from '../format';
import { sizeRequirement } from '../requirements';
import type { MachineCheck } from '../types';

export const memoryCheck: MachineCheck = {
  id: 'memory',
  title: 'Memory',
  async run(ctx) {
    const host = totalmem();
    const engine = await ctx.engine();
    // Containers get the engine's memory; under Docker Desktop that is the VM's size, not the host's.
    const bytes = engine.ok && engine.info.memoryBytes > 0 ? engine.info.memoryBytes : host;
    const vm = Math.abs(bytes - host) > host * 0.05;
    const value = vm ? `${gib(bytes)} for the engine (this computer has ${gib(host)})` : gib(bytes);
    const need = sizeRequirement(ctx.requirements.memory, ctx.requirements.memoryBytes);
    if (need.kind === 'none') return { status: 'pass', value };
    if (need.kind === 'invalid') {
      return { status: 'warn', value, requirement: `hostRequirements.memory is ${need.written}`,
        hint: 'Write hostRequirements.memory as a size, e.g. "memory": "16gb".' };
    }
    const requirement = `≥ ${gib(need.value)} (hostRequirements.memory ${need.written})`;
    if (bytes >= need.value) return { status: 'pass', value, requirement };
    return { status: 'fail', value, requirement,
      hint: vm
        ? `Give the engine more memory (Docker Desktop: Settings → Resources → Memory) or run the session on a GPU host.`
        : `Run this project on a machine with ${gib(need.value)} or more (a GPU host), or lower hostRequirements.memory.` };
  },
};
