import { resolve } from 'node:path';
import { stringOption } from '../args';
import { EXIT } from '../exit-codes';
import { columns, formatBytes } from '../output';
import type { Command } from './types';

export const versionsCommand: Command = {
  name: 'versions',
  usage: `benchtop versions [DIR] [--json]

Reads every tag of the project's image repository from its registry. Marks the pinned version (*),
newer ones (new) and those already on this computer (local). Warns when the tag the project was
pinned from now points at another digest.`,
  options: {
    dir: { type: 'string', value: 'DIR', help: 'the project folder (default: the current folder)' },
  },
  async run(ctx) {
    const dir = resolve(ctx.args.positional[0] ?? stringOption(ctx.args, 'dir') ?? '.');
    const list = await ctx.core.imageVersions.versions(dir);
    if (ctx.json) {
      ctx.out(JSON.stringify(list, null, 2));
      return EXIT.OK;
    }
    ctx.out(`${list.repository}\n`);
    ctx.out(columns(['', 'TAG', 'DIGEST', 'CREATED', 'SIZE', 'FLAGS'], list.versions.map((v) => [
      v.pinned ? '*' : ' ',
      v.tag,
      v.digest.slice(0, 19),
      v.created?.slice(0, 19).replace('T', ' ') ?? '-',
      v.sizeBytes === undefined ? '-' : formatBytes(v.sizeBytes),
      [v.newer ? 'new' : '', v.local ? 'local' : ''].filter(Boolean).join(' '),
    ])));
    if (list.tagMoved) {
      ctx.err(`warning: tag ${list.tagMoved.tag} now points at ${list.tagMoved.currentDigest}, not the pinned ${list.tagMoved.pinnedDigest}.`);
    }
    return EXIT.OK;
  },
};
