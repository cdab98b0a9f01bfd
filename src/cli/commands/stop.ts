import { BenchtopError } from '../../main/core/errors';
import { EXIT } from '../exit-codes';
import { slurmStop } from './slurm-cli';
import type { Command } from './types';

export function sessionIdArg(positional: string[], command: string): string {
  const [id] = positional;
  if (!id) throw new BenchtopError('INVALID_ARGUMENT', `benchtop ${command} needs a session id.`, 'Run `benchtop ps` to see the ids.');
  return id;
}

export const stopCommand: Command = {
  name: 'stop',
  usage: 'benchtop stop ID [--json]\n\nA cluster session (JOB@CLUSTER) is cancelled with scancel; its notebooks stay in the cluster\'s shared folder.',
  options: {},
  async run(ctx) {
    const onCluster = await slurmStop(ctx, sessionIdArg(ctx.args.positional, 'stop'));
    if (onCluster !== undefined) return onCluster;
    const info = await ctx.handlers.sessionStop({ id: sessionIdArg(ctx.args.positional, 'stop') });
    ctx.out(ctx.json ? JSON.stringify(info, null, 2) : `${info.id}: ${info.state}`);
    return EXIT.OK;
  },
};
