import { teammateSummary } from '../../shared/session-summary';
import { EXIT } from '../exit-codes';
import { columns } from '../output';
import { cloudVmsOfTargets, costCell } from './cloud-cost';
import { clusterSessionsTable } from './slurm-cli';
import type { Command } from './types';

export const psCommand: Command = {
  name: 'ps',
  usage: `benchtop ps [--json]

Sessions are found from the engines' container labels, so this also lists sessions started by
the app or before a restart. The token is not shown here (\`benchtop open ID\` or --json gives the URL).
Teammates' sessions on shared hosts are listed too, read-only: whose, GPUs, since when, idle for how long.
A session on one of your cloud VMs shows the VM's price per hour and what it has cost since it last
started (COST; \`cloudCost\` in --json).
Sessions on Slurm clusters (JOB@CLUSTER) come first, from squeue: pending ones with their reason in
words and their place in line, running ones with their cards and when their --time ends them.`,
  options: {},
  async run(ctx) {
    const sessions = await ctx.handlers.sessionList();
    const onClusters = await ctx.core.slurm.list();
    const vms = await cloudVmsOfTargets(ctx, sessions.filter((s) => s.mine).map((s) => s.target));
    if (ctx.json) {
      ctx.out(JSON.stringify([...sessions.map((s) => {
        const vm = s.mine ? vms.get(s.target) : undefined;
        return vm ? { ...s, cloudCost: { vm: vm.name, pricePerHour: vm.pricePerHour, runningSince: vm.runningSince ?? null, runningCost: vm.runningCost, priceDate: vm.priceDate, priceOrigin: vm.priceOrigin } } : s;
      }), ...onClusters], null, 2));
      return EXIT.OK;
    }
    if (onClusters.length) {
      ctx.out(clusterSessionsTable(onClusters));
      if (sessions.length === 0) return EXIT.OK;
      ctx.out('');
    }
    if (sessions.length === 0) {
      ctx.out('No sessions. Start one with `benchtop up [DIR]`.');
      return EXIT.OK;
    }
    const now = Date.now();
    const costs = vms.size > 0;
    ctx.out(columns(['ID', 'PROJECT', 'TARGET', 'STATE', 'VERSION', 'ADDRESS', ...(costs ? ['COST'] : []), 'NOTE'], sessions.map((s) => {
      const vm = s.mine ? vms.get(s.target) : undefined;
      return [
        s.id,
        s.projectName,
        s.target,
        s.state,
        s.version ?? s.digest.slice(7, 19),
        s.mine && s.state === 'ready' && s.hostPort ? `http://127.0.0.1:${s.hostPort}` : '-',
        ...(costs ? [vm ? costCell(vm, now) : '-'] : []),
        s.mine ? s.message ?? '' : teammateSummary(s),
      ];
    })));
    return EXIT.OK;
  },
};
