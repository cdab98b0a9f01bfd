import { flag, stringOption } from '../args';
import { EXIT } from '../exit-codes';
import { CONFIG_OPTION, projectArg } from './pin';
import { showProgress } from './pull';
import { SLURM_UP_OPTIONS, slurmUp } from './slurm-cli';
import { startRoute } from '../../main/core/slurm/start-route';
import type { Command } from './types';

export const upCommand: Command = {
  name: 'up',
  usage: `benchtop up [DIR] [--target local|HOST|CLUSTER] [--config NAME] [--no-open] [--json]
benchtop up [DIR] --target CLUSTER [--gpus N] [--time 4h] [--no-wait] [--json]

Reads DIR/.devcontainer/devcontainer.json (default: the current folder), pulls the pinned image
if needed, checks the lockfile, starts the session and waits for Jupyter. Progress goes to stderr;
the notebook URL (with its token) is printed on stdout when ready, and opened in the default
browser unless --no-open or BENCHTOP_BROWSER=none. A session already running for this project is
reused. On a host the URL keeps answering after this command exits, until the session stops (the
per-user forwarder carries it: \`benchtop forwarder --help\`).
On a Slurm cluster (\`benchtop host add slurm://user@login\`) the session is a batch job: Slurm queues
it (the reason and place in line are shown while it waits), gives it its GPUs and ends it at --time;
the job also ends itself when Jupyter has been idle for the project's idleMinutes.`,
  options: {
    target: { type: 'string', value: 'local|HOST|CLUSTER', help: 'where: this computer (local), a host or a Slurm cluster id from `benchtop host ls` (default: the default target in Settings or the team file)' },
    'no-open': { type: 'boolean', help: 'do not open the notebook in the browser' },
    config: CONFIG_OPTION,
    ...SLURM_UP_OPTIONS,
  },
  async run(ctx) {
    const dir = projectArg(ctx, ctx.args.positional[0]);
    // With no --target, the default target (Settings, else the team file) may be a cluster: a job there.
    const route = await startRoute({ isCluster: (t) => ctx.core.slurm.isCluster(t), defaultTarget: (d) => ctx.core.team.defaultTarget(d) }, dir, stringOption(ctx.args, 'target'));
    if (route.kind === 'cluster') return slurmUp(ctx, dir, route.target);
    const { target } = route;
    const opId = ctx.newOpId();
    const stop = ctx.json ? () => undefined : showProgress(ctx, opId);
    try {
      const info = await ctx.handlers.sessionUp({ opId, dir, target, open: flag(ctx.args, 'no-open') ? undefined : 'browser' });
      if (ctx.json) ctx.out(JSON.stringify(info, null, 2));
      else {
        ctx.err(`Session ${info.id} is ${info.state} on ${info.target} (${info.version ?? info.digest.slice(0, 19)}).`);
        ctx.out(info.url ?? '');
      }
      return EXIT.OK;
    } finally {
      stop();
    }
  },
};
