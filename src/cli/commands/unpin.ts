import { EXIT } from '../exit-codes';
import { CONFIG_OPTION, projectArg } from './pin';
import type { Command } from './types';

export const unpinCommand: Command = {
  name: 'unpin',
  usage: `benchtop unpin [--dir DIR] [--config NAME] [--json]

Writes "image": "<repository>:<version>" back (the version from the pin's comment, or the tag that
points at the pinned digest). A tag can move: teammates may then get different images.`,
  options: {
    dir: { type: 'string', value: 'DIR', help: 'the project folder (default: the current folder)' },
    config: CONFIG_OPTION,
  },
  async run(ctx) {
    const result = await ctx.core.imageVersions.unpin(projectArg(ctx, ctx.args.positional[0]));
    ctx.out(ctx.json ? JSON.stringify(result, null, 2) : `Image: ${result.image}`);
    return EXIT.OK;
  },
};
