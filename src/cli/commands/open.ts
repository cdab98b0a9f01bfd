import { EXIT } from '../exit-codes';
import { sessionIdArg } from './stop';
import { slurmOpen } from './slurm-cli';
import type { Command } from './types';

export const openCommand: Command = {
  name: 'open',
  usage: `benchtop open ID [--json]

Opens the notebook in the default browser (xdg-open, open, or start) and prints its URL on stdout.
Without a browser opener, or with BENCHTOP_BROWSER=none, only the URL is printed.`,
  options: {},
  async run(ctx) {
    const onCluster = await slurmOpen(ctx, sessionIdArg(ctx.args.positional, 'open'));
    if (onCluster !== undefined) return onCluster;
    const result = await ctx.handlers.sessionOpen({ id: sessionIdArg(ctx.args.positional, 'open'), where: 'browser' });
    ctx.out(ctx.json ? JSON.stringify(result, null, 2) : result.url);
    return EXIT.OK;
  },
};
