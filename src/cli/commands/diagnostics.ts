import { EXIT } from '../exit-codes';
import type { Command } from './types';

export const diagnosticsCommand: Command = {
  name: 'diagnostics',
  usage: `benchtop diagnostics [--json]

Runs the machine check and prints its report with the end of Benchtop's log (the CLI's log folder is
<settings folder>/logs; the app keeps its own in the system's log folder), tokens and passwords
masked, ready to paste into a help request. The app's Settings page has the same as "Copy diagnostics".`,
  options: {},
  async run(ctx) {
    const diagnostics = await ctx.handlers.diagnostics({ opId: ctx.newOpId() });
    ctx.out(ctx.json ? JSON.stringify(diagnostics, null, 2) : diagnostics.text);
    return EXIT.OK;
  },
};
