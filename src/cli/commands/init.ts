import { resolve } from 'node:path';
import { stringOption } from '../args';
import { EXIT } from '../exit-codes';
import { table } from '../output';
import { printLockfileUpdate } from './pin';
import type { Command } from './types';

export const initCommand: Command = {
  name: 'init',
  usage: `benchtop init [DIR] [--image REF] [--json]

Writes .devcontainer/devcontainer.json from Benchtop's template (with comments explaining each key),
creates the notebooks/ folder and adds Benchtop's per-machine folder to .gitignore. Never overwrites
an existing file. With --image, the project's lockfile is written from that image's copy.
Then pin the image (which brings its lockfile along): benchtop pin [VERSION] --dir DIR`,
  options: {
    dir: { type: 'string', value: 'DIR', help: 'the project folder (default: the current folder)' },
    image: { type: 'string', value: 'REF', help: 'the image to write into devcontainer.json (its lockfile comes along)' },
  },
  async run(ctx) {
    const dir = resolve(ctx.args.positional[0] ?? stringOption(ctx.args, 'dir') ?? '.');
    const image = stringOption(ctx.args, 'image');
    const info = await ctx.core.projects.create(dir, image);
    const lockfile = image ? await ctx.core.lockfiles.updateFromImage(info.dir, image) : undefined;
    if (ctx.json) {
      ctx.out(JSON.stringify(lockfile ? { ...info, lockfile } : info, null, 2));
      return EXIT.OK;
    }
    ctx.out(table([
      ['Created', info.devcontainerPath],
      ['Image', info.image],
      ['Notebooks', info.notebooksDir],
      ['Lockfile', info.lockfilePath],
      ['Next', `benchtop pin --dir ${dir}   (pins the newest version by digest, with its lockfile)`],
    ]));
    printLockfileUpdate(ctx, lockfile);
    return EXIT.OK;
  },
};
