import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flag, stringOption } from '../args';
import { BenchtopError } from '../../main/core/errors';
import { EXIT } from '../exit-codes';
import { SLURM_UP_OPTIONS } from './slurm-options';
import type { Command } from './types';

/** Without a folder, the current one is checked as a project when it is one. */
function projectDirFor(dir: string | undefined): string | undefined {
  if (dir) return resolve(dir);
  const cwd = process.cwd();
  return existsSync(join(cwd, '.devcontainer', 'devcontainer.json')) || existsSync(join(cwd, '.devcontainer.json')) ? cwd : undefined;
}

export const checkCommand: Command = {
  name: 'check',
  usage: `benchtop check [DIR] [--json] [--refresh]
benchtop check [DIR] --target CLUSTER [--gpus N] [--time D] [--json]

Runs every check at once and prints a checklist (✓ pass, ! warning, ✗ failed, – skipped) with a fix
for each problem. DIR (default: the current folder, when it holds a devcontainer.json) supplies
hostRequirements and the pinned image. --refresh asks the engine, nvidia-smi and the registry again.

With --target CLUSTER (a Slurm cluster), checks the project against the cluster instead: the
controller answers, the partition is up, the GPUs and --time asked for fit the partition and your quota.

Exit codes: 0 nothing failed (warnings allowed), 1 a check failed, 2 the check could not run.`,
  options: {
    refresh: { type: 'boolean', help: 'ask the engine, nvidia-smi and the registry again' },
    target: { type: 'string', value: 'CLUSTER', help: 'check the project against a Slurm cluster (`benchtop host add slurm://…`)' },
    gpus: SLURM_UP_OPTIONS.gpus,
    time: SLURM_UP_OPTIONS.time,
  },
  async run(ctx) {
    const target = stringOption(ctx.args, 'target');
    if (target) {
      if (!ctx.core.slurm.isCluster(target)) throw new BenchtopError('INVALID_ARGUMENT', `${target} is not a Slurm cluster; check --target is for clusters.`, 'Run `benchtop host ls`; `benchtop check` alone checks this computer.');
      const { slurmCheck } = await import('./slurm-cli');
      return slurmCheck(ctx, projectDirFor(ctx.args.positional[0]) ?? process.cwd(), target);
    }
    const report = await ctx.handlers.machineCheck({
      opId: ctx.newOpId(),
      projectDir: projectDirFor(ctx.args.positional[0]),
      refresh: flag(ctx.args, 'refresh'),
    });
    ctx.out(ctx.json ? JSON.stringify(report, null, 2) : report.text);
    return report.summary.fail > 0 ? EXIT.NEGATIVE : EXIT.OK;
  },
  // Without a project nothing but the check's own probes is needed: they run without the core.
  light: {
    applies: (args) => !projectDirFor(args.positional[0]) && !stringOption(args, 'target'),
    async run(ctx) {
      // Loaded here, not at the top: `engine`, which shares the CLI's start-up front, needs none of it.
      const { lightMachineCheck, lightOperation } = await import('../light-machine-check');
      const report = await lightMachineCheck(ctx.env).check(lightOperation(), { refresh: flag(ctx.args, 'refresh') });
      ctx.out(ctx.json ? JSON.stringify(report, null, 2) : report.text);
      return report.summary.fail > 0 ? EXIT.NEGATIVE : EXIT.OK;
    },
  },
};
