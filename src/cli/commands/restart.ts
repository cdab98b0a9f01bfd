import { EXIT } from '../exit-codes';
import { showProgress } from './pull';
import { sessionIdArg } from './stop';
import type { Command } from './types';

export const restartCommand: Command = {
  name: 'restart',
  usage: 'benchtop restart ID [--json]\n\nPrints the new notebook URL on stdout when Jupyter is ready again.',
  options: {},
  async run(ctx) {
    const opId = ctx.newOpId();
    const stop = ctx.json ? () => undefined : showProgress(ctx, opId);
    try {
      const info = await ctx.handlers.sessionRestart({ opId, id: sessionIdArg(ctx.args.positional, 'restart') });
      ctx.out(ctx.json ? JSON.stringify(info, null, 2) : (info.url ?? info.state));
      return EXIT.OK;
    } finally {
      stop();
    }
  },
};
