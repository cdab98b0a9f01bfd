import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flag } from '../args';
import { EXIT } from '../exit-codes';
import type { Command } from './types';

/** Without a folder, the current one is checked as a project when it is one. */
function projectDirFor(dir: string | undefined): string | undefined {
  if (dir) return resolve(dir);
  const cwd = process.cwd();
  return existsSync(join(cwd, '.devcontainer', 'devcontainer.json')) || existsSync(join(cwd, '.devcontainer.json')) ? cwd : undefined;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check this computer against a project: OS, CPU, memory, disk, engine, GPUs, ports, proxy',
  usage: `benchtop check [DIR] [--json] [--refresh]

Runs every check at once and prints a checklist (✓ pass, ! warning, ✗ failed, – skipped) with a fix
for each problem. DIR (default: the current folder, when it holds a devcontainer.json) supplies
hostRequirements and the pinned image. --refresh asks the engine, nvidia-smi and the registry again.

Exit codes: 0 nothing failed (warnings allowed), 1 a check failed, 2 the check could not run.`,
  options: {
    refresh: { type: 'boolean', help: 'ask the engine, nvidia-smi and the registry again' },
  },
  async run(ctx) {
    const report = await ctx.handlers.machineCheck({
      opId: ctx.newOpId(),
      projectDir: projectDirFor(ctx.args.positional[0]),
      refresh: flag(ctx.args, 'refresh'),
    });
    ctx.out(ctx.json ? JSON.stringify(report, null, 2) : report.text);
    return report.summary.fail > 0 ? EXIT.NEGATIVE : EXIT.OK;
  },
  // Without a project nothing but the check's own probes is needed: they run without the core.
  async runLight(ctx) {
    if (projectDirFor(ctx.args.positional[0])) return undefined;
    const { lightMachineCheck, Operation } = await import('../light-machine-check');
    const report = await lightMachineCheck(ctx.env).check(new Operation({ id: `cli-${randomUUID()}` }), { refresh: flag(ctx.args, 'refresh') });
    ctx.out(ctx.json ? JSON.stringify(report, null, 2) : report.text);
    return report.summary.fail > 0 ? EXIT.NEGATIVE : EXIT.OK;
  },
};
