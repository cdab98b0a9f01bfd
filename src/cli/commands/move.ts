import { resolve } from 'node:path';
import { BenchtopError } from '../../main/core/errors';
import { EXIT } from '../exit-codes';
import { follow } from '../follow';
import { table } from '../output';
import type { Command } from './types';

export const moveCommand: Command = {
  name: 'move',
  usage: `benchtop move TARGET [DIR] [--json]

Moves the running session of DIR's project (default: the current folder) to TARGET, a host id or
\`local\`, on the same image digest: syncs the notebooks to TARGET while the session still runs,
stops it, carries the last edits, starts Jupyter on TARGET and prints its URL. If a step fails the
error names it (MOVE_FAILED) and the notebooks stay intact on both sides. The URL of a session on a
host keeps answering after this command exits (\`benchtop forwarder --help\`).`,
  options: {},
  async run(ctx) {
    const [target, dirArg] = ctx.args.positional;
    if (!target) throw new BenchtopError('INVALID_ARGUMENT', 'Where to? Give a target: a host id or `local`.', 'benchtop move gpu-box');
    const dir = resolve(dirArg ?? '.');
    const project = await ctx.core.projects.read(dir);
    const sessions = await ctx.core.sessions.list();
    const engineSource = sessions.find((s) => s.projectDir === project.dir && s.target !== target && (s.state === 'ready' || s.state === 'starting'));
    // A cluster session of this project (yours, queued or running) is a source too; to or from a cluster the notebooks go through this computer.
    const clusterSource = engineSource ? undefined : (await ctx.core.slurm.list().catch((e: unknown) => {
      ctx.core.log.ignored('listing cluster sessions to move (a cluster that cannot be read is left out)', e);
      return [];
    }))
      .find((s) => s.mine && s.projectName === project.name && s.target !== target && s.state !== 'ended' && s.state !== 'failed');
    const source = engineSource ?? clusterSource;
    if (!source) {
      throw new BenchtopError('SESSION_NOT_FOUND', `No running session of ${project.dir} to move.`, `Start one with \`benchtop up ${project.dir}\`, or start it on ${target} directly.`);
    }
    const opId = ctx.newOpId();
    const off = ctx.json ? () => undefined : follow(ctx, opId, { operationStep: (s) => ctx.err(`${s.step}${s.detail ? `: ${s.detail}` : ''}`) }, { children: false });
    try {
      const moved = await ctx.core.ops.run(opId, (op) => (ctx.core.clusterMoves.involvesCluster(source.id, target)
        ? ctx.core.clusterMoves.move(op, source.id, target, project.dir) : ctx.core.moves.move(op, source.id, target)));
      if (ctx.json) {
        ctx.out(JSON.stringify(moved, null, 2));
        return EXIT.OK;
      }
      ctx.out(table([
        ['Session', moved.id],
        ['Moved', `${source.target} → ${moved.target}`],
        ['State', moved.state],
        ['Jupyter', moved.url ?? '(not ready)'],
      ]));
      return EXIT.OK;
    } finally {
      off();
    }
  },
};
