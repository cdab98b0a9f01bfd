import { totalmem } from 'node:os';
import { gib } from '../format';
import { sizeRequirement } from '../requirements';
import type { MachineCheck } from '../types';
import { capacityOutcome } from './capacity';

export const memoryCheck: MachineCheck = {
  id: 'memory',
  title: 'Memory',
  async run(ctx) {
    const host = totalmem();
    const engine = await ctx.engine();
    // Containers get the engine's memory; under Docker Desktop that is the VM's size, not the host's.
    const bytes = engine.ok && engine.info.memoryBytes > 0 ? engine.info.memoryBytes : host;
    const vm = Math.abs(bytes - host) > host * 0.05;
    return capacityOutcome({
      field: 'memory',
      need: sizeRequirement(ctx.requirements.memory, ctx.requirements.memoryBytes),
      have: bytes,
      value: vm ? `${gib(bytes)} for the engine (this computer has ${gib(host)})` : gib(bytes),
      requirement: (need, written) => `≥ ${gib(need)} (hostRequirements.memory ${written})`,
      writeAs: 'a size, e.g. "memory": "16gb"',
      amount: gib,
      engineLimited: vm,
      engineFix: 'Give the engine more memory (Docker Desktop: Settings → Resources → Memory) or run the session on a GPU host.',
    });
  },
};
