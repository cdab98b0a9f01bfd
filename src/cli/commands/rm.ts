import { EXIT } from '../exit-codes';
import { sessionIdArg } from './stop';
import type { Command } from './types';

export const rmCommand: Command = {
  name: 'rm',
  usage: 'benchtop rm ID [--json]',
  options: {},
  async run(ctx) {
    const id = sessionIdArg(ctx.args.positional, 'rm');
    const result = await ctx.handlers.sessionRemove({ id });
    ctx.out(ctx.json ? JSON.stringify(result) : `Removed ${id}.`);
    return EXIT.OK;
  },
};
