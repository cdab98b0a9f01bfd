import { resolve } from 'node:path';
import { BenchtopError } from '../../main/core/errors';
import { EXIT } from '../exit-codes';
import type { Command } from './types';

export const codeCommand: Command = {
  name: 'code',
  usage: `benchtop code [SESSION] [--json]

Attaches VS Code (with the Dev Containers extension; Remote - SSH too for a session on a host) to
the session's container, at the project's folder inside it, with \`code --folder-uri\`. Without
SESSION: your one ready session of the project in the current folder (or your only ready session).
BENCHTOP_VSCODE names another \`code\` command (e.g. code-insiders).`,
  options: {},
  async run(ctx) {
    let id = ctx.args.positional[0];
    if (!id) {
      const ready = (await ctx.handlers.sessionList(undefined)).filter((s) => s.mine && s.state === 'ready');
      const here = ready.filter((s) => s.projectDir === resolve(process.cwd()));
      const pick = here.length ? here : ready;
      if (pick.length !== 1) {
        throw new BenchtopError('INVALID_ARGUMENT', pick.length === 0 ? 'No ready session of yours to open.' : `${pick.length} ready sessions: which one?`,
          pick.length === 0 ? 'Start one with `benchtop up`.' : `Give its id: ${pick.map((s) => s.id).join(', ')}.`);
      }
      id = pick[0]?.id ?? '';
    }
    const result = await ctx.handlers.sessionOpenCode({ id });
    ctx.out(ctx.json ? JSON.stringify(result, null, 2) : result.uri);
    return EXIT.OK;
  },
};
