import { stringOption, flag } from '../args';
import { BenchtopError } from '../../main/core/errors';
import { EXIT } from '../exit-codes';
import { follow } from '../follow';
import { sessionIdArg } from './stop';
import type { Command } from './types';

export const logsCommand: Command = {
  name: 'logs',
  usage: 'benchtop logs ID [-f|--follow] [--tail N]\n\nCtrl-C stops following.',
  options: {
    follow: { type: 'boolean', short: 'f', help: 'keep printing new lines until Ctrl-C' },
    tail: { type: 'string', value: 'N', help: 'only the last N lines' },
  },
  async run(ctx) {
    const id = sessionIdArg(ctx.args.positional, 'logs');
    const tailText = stringOption(ctx.args, 'tail');
    const tail = tailText === undefined ? undefined : Number(tailText);
    if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) {
      throw new BenchtopError('INVALID_ARGUMENT', `--tail ${tailText} is not a number of lines.`, 'Use e.g. --tail 100.');
    }
    const opId = ctx.newOpId();
    const off = follow(ctx, opId, { sessionLog: (e) => ctx.out(e.lines.join('\n')) }, { cancelOnInterrupt: true });
    try {
      await ctx.handlers.sessionLogs({ opId, id, follow: flag(ctx.args, 'follow'), tail });
      return EXIT.OK;
    } finally {
      off();
    }
  },
};
