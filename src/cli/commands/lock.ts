import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringOption } from '../args';
import { EXIT } from '../exit-codes';
import type { CliContext } from '../context';
import { CONFIG_OPTION, projectArg } from './pin';
import type { Command } from './types';

async function status(ctx: CliContext): Promise<number> {
  const result = await ctx.core.lockfiles.status(projectArg(ctx, ctx.args.positional[1]));
  if (ctx.json) ctx.out(JSON.stringify(result, null, 2));
  else ctx.out(`${result.state}: ${result.message}${result.hint ? `\n  hint: ${result.hint}` : ''}`);
  return result.state === 'match' ? EXIT.OK : EXIT.NEGATIVE;
}

async function drift(ctx: CliContext): Promise<number> {
  const sessionId = ctx.args.positional[1] ?? stringOption(ctx.args, 'session');
  if (!sessionId) {
    ctx.err('benchtop lock drift: say which session (benchtop lock drift SESSION).');
    return EXIT.USAGE;
  }
  const report = await ctx.core.lockfiles.drift(sessionId);
  const write = stringOption(ctx.args, 'write');
  if (write) await writeFile(resolve(write), report.proposedLockfile);
  const drifted = report.added.length + report.removed.length + report.changed.length > 0;
  if (ctx.json) {
    ctx.out(JSON.stringify(report, null, 2));
  } else if (!drifted) {
    ctx.out(`No drift: session ${sessionId} has exactly the lockfile's packages.`);
  } else {
    for (const p of report.added) ctx.out(`+ ${p.name}==${p.to}`);
    for (const p of report.removed) ctx.out(`- ${p.name}==${p.from}`);
    for (const p of report.changed) ctx.out(`~ ${p.name} ${p.from} -> ${p.to}`);
    ctx.out(write ? `Wrote the proposed lockfile to ${write}.` : 'Write the proposed lockfile with --write FILE.');
  }
  return drifted ? EXIT.NEGATIVE : EXIT.OK;
}

export const lockCommand: Command = {
  name: 'lock',
  usage: `benchtop lock status [DIR] [--config NAME] [--json]
benchtop lock drift SESSION [--write FILE] [--json]

status: compares the project's lockfile with the sha256 the pinned image carries in its
        dev.benchtop.lockfile.sha256 label (exit 1 when they differ or cannot be compared).
drift:  lists packages added, removed or changed inside a running session (pip install), and
        with --write saves a lockfile describing the session's environment (exit 1 on drift).`,
  options: {
    dir: { type: 'string', value: 'DIR', help: 'the project folder (default: the current folder)' },
    config: CONFIG_OPTION,
    session: { type: 'string', value: 'ID', help: 'drift: the session to compare' },
    write: { type: 'string', value: 'FILE', help: "drift: save a lockfile of the session's environment" },
  },
  async run(ctx) {
    const sub = ctx.args.positional[0];
    if (sub === 'status') return status(ctx);
    if (sub === 'drift') return drift(ctx);
    ctx.err('benchtop lock: use `lock status [DIR]` or `lock drift SESSION` (see benchtop lock --help).');
    return EXIT.USAGE;
  },
};
