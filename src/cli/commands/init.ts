import { resolve } from 'node:path';
import { stringOption } from '../args';
import { EXIT } from '../exit-codes';
import { table } from '../output';
import type { Command } from './types';

export const initCommand: Command = {
  name: 'init',
  summary: 'Create .devcontainer/devcontainer.json for a project (image, host requirements, Benchtop settings)',
  usage: `benchtop init [DIR] [--image REF] [--json]

Writes .devcontainer/devcontainer.json from Benchtop's template (with comments explaining each key),
creates the notebooks/ folder and adds .benchtop/ to .gitignore. Never overwrites an existing file.
Then pin the image: benchtop pin [VERSION] --dir DIR`,
  options: {
    dir: { type: 'string', value: 'DIR', help: 'the project folder (default: the current folder)' },
    image: { type: 'string', value: 'REF', help: 'the image to write into devcontainer.json' },
  },
  async run(ctx) {
    const dir = resolve(ctx.args.positional[0] ?? stringOption(ctx.args, 'dir') ?? '.');
    const info = await ctx.core.projects.create(dir, stringOption(ctx.args, 'image'));
    if (ctx.json) {
      ctx.out(JSON.stringify(info, null, 2));
      return EXIT.OK;
    }
    ctx.out(table([
      ['Created', info.devcontainerPath],
      ['Image', info.image],
      ['Notebooks', info.notebooksDir],
      ['Lockfile', info.lockfilePath],
      ['Next', `benchtop pin --dir ${dir}   (pins the newest version by digest)`],
    ]));
    return EXIT.OK;
  },
};
