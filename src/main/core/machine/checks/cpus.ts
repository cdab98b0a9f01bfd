import { availableParallelism } from 'node:os';
import { plural } from '../format';
import { cpuRequirement } from '../requirements';
import type { MachineCheck } from '../types';

export const cpusCheck: MachineCheck = {
  id: 'cpus',
  title: 'CPU cores',
  async run(ctx) {
    const host = availableParallelism();
    const engine = await ctx.engine();
    // Containers get the engine's CPUs; under Docker Desktop that is the VM's share, not the host's.
    const cores = engine.ok && engine.info.cpus > 0 ? engine.info.cpus : host;
    const value = cores === host ? plural(cores, 'core') : `${plural(cores, 'core')} for the engine (this computer has ${host})`;
    const need = cpuRequirement(ctx.requirements);
    if (need.kind === 'none') return { status: 'pass', value };
    if (need.kind === 'invalid') {
      return { status: 'warn', value, requirement: `hostRequirements.cpus is ${need.written}`,
        hint: 'Write hostRequirements.cpus as a whole number of cores, e.g. "cpus": 4.' };
    }
    const requirement = `≥ ${plural(need.value, 'core')} (hostRequirements.cpus)`;
    if (cores >= need.value) return { status: 'pass', value, requirement };
    return { status: 'fail', value, requirement,
      hint: cores < host
        ? `Give the engine more CPUs (Docker Desktop: Settings → Resources) or run the session on a GPU host.`
        : `Run this project on a machine with ${plural(need.value, 'core')} or more (a GPU host), or lower hostRequirements.cpus.` };
  },
};
