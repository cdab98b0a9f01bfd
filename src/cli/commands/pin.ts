import { resolve } from 'node:path';
import { stringOption } from '../args';
import { EXIT } from '../exit-codes';
import { table } from '../output';
import type { Command } from './types';

export const pinCommand: Command = {
  name: 'pin',
  summary: 'Pin the project to an image version by digest (the newest when no version is given)',
  usage: `benchtop pin [VERSION] [--dir DIR] [--json]

Resolves VERSION (a tag of the project's image; default: the newest release tag) to its digest on
the registry and writes "image": "<repository>@sha256:…" into devcontainer.json, with the version
kept as a comment beside it. Nothing else in the file changes.`,
  options: {
    dir: { type: 'string', value: 'DIR', help: 'the project folder (default: the current folder)' },
  },
  async run(ctx) {
    const dir = resolve(stringOption(ctx.args, 'dir') ?? '.');
    const pin = await ctx.core.imageVersions.pin(dir, ctx.args.positional[0]);
    if (ctx.json) {
      ctx.out(JSON.stringify(pin, null, 2));
      return EXIT.OK;
    }
    ctx.out(table([['Pinned', pin.image], ['Version', pin.version ?? '-']]));
    return EXIT.OK;
  },
};
