import { availableParallelism } from 'node:os';
import { plural } from '../format';
import { cpuRequirement } from '../requirements';
import type { MachineCheck } from '../types';
import { capacityOutcome } from './capacity';

export const cpusCheck: MachineCheck = {
  id: 'cpus',
  title: 'CPU cores',
  async run(ctx) {
    const host = availableParallelism();
    const engine = await ctx.engine();
    // Containers get the engine's CPUs; under Docker Desktop that is the VM's share, not the host's.
    const cores = engine.ok && engine.info.cpus > 0 ? engine.info.cpus : host;
    return capacityOutcome({
      field: 'cpus',
      need: cpuRequirement(ctx.requirements),
      have: cores,
      value: cores === host ? plural(cores, 'core') : `${plural(cores, 'core')} for the engine (this computer has ${host})`,
      requirement: (need) => `≥ ${plural(need, 'core')} (hostRequirements.cpus)`,
      writeAs: 'a whole number of cores, e.g. "cpus": 4',
      amount: (need) => plural(need, 'core'),
      engineLimited: cores < host,
      engineFix: 'Give the engine more CPUs (Docker Desktop: Settings → Resources) or run the session on a GPU host.',
    });
  },
};
