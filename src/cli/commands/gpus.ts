import { flag, stringOption } from '../args';
import { EXIT } from '../exit-codes';
import { columns } from '../output';
import type { Command } from './types';

export const gpusCommand: Command = {
  name: 'gpus',
  summary: 'Show the GPUs of this computer or a host, and who holds each one',
  usage: `benchtop gpus [--target local|HOST] [--reap] [--json]

Lists each NVIDIA GPU (from nvidia-smi) with the session and person holding it. Leases live on the
target's engine as containers named benchtop-gpu-<uuid>, so every teammate sees the same holders.
--reap first frees the GPUs of sessions that have stopped or no longer exist.`,
  options: {
    target: { type: 'string', value: 'local|HOST', help: 'where: this computer (local) or a host id from `benchtop host ls`' },
    reap: { type: 'boolean', help: 'first free the GPUs of sessions that stopped or no longer exist' },
  },
  async run(ctx) {
    const target = stringOption(ctx.args, 'target') ?? 'local';
    const freed = flag(ctx.args, 'reap') ? await ctx.core.gpus.reap(target) : [];
    const [outcome, leases] = await Promise.all([ctx.core.gpus.probe(target), ctx.core.gpus.list(target)]);
    const gpus = outcome.state === 'ok' ? outcome.gpus : [];
    const problem = outcome.state === 'ok' ? undefined : outcome.detail;
    if (ctx.json) {
      ctx.out(JSON.stringify({ target, gpus, leases, ...(problem ? { problem } : {}), ...(flag(ctx.args, 'reap') ? { freed } : {}) }, null, 2));
      return EXIT.OK;
    }
    for (const l of freed) ctx.out(`Freed ${l.gpu} (held by ${l.holder} for session ${l.sessionId}, which is no longer running).`);
    if (!gpus.length) ctx.out(`No NVIDIA GPU on ${target}${problem ? ` (${problem})` : ''}.`);
    const rows = gpus.map((g) => {
      const lease = leases.find((l) => l.gpu === (g.uuid || String(g.index)));
      return [
        String(g.index),
        g.name,
        g.memoryMiB ? `${Math.round(g.memoryMiB / 1024)} GiB` : '?',
        g.utilizationPercent === undefined ? '-' : `${g.utilizationPercent}%`,
        lease ? lease.holder : 'free',
        lease ? lease.sessionId : '',
        lease ? lease.since : '',
        g.uuid,
      ];
    });
    // Leases for cards nvidia-smi no longer lists (removed, or nvidia-smi failing) are shown too.
    const known = new Set(gpus.map((g) => g.uuid || String(g.index)));
    for (const l of leases.filter((x) => !known.has(x.gpu))) rows.push(['?', '(not listed by nvidia-smi)', '', '', l.holder, l.sessionId, l.since, l.gpu]);
    if (rows.length) ctx.out(columns(['GPU', 'NAME', 'MEMORY', 'UTIL', 'HOLDER', 'SESSION', 'SINCE', 'UUID'], rows));
    return EXIT.OK;
  },
};
