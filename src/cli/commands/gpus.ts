import type { GpuClaimResult } from '../../shared/contract/hosts';
import { flag, stringOption } from '../args';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { follow } from '../follow';
import { BenchtopError } from '../../main/core/errors';
import { clock, formatBoard, formatQueue } from './gpus-format';
import { slurmExtend, slurmGpus } from './slurm-cli';
import type { Command } from './types';

const number = (ctx: CliContext, name: string): number | undefined => {
  const raw = stringOption(ctx.args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new BenchtopError('INVALID_ARGUMENT', `--${name} takes a number, not "${raw}".`, `For example --${name} 2.`);
  return value;
};

const needSession = (ctx: CliContext, action: string): string => {
  const session = ctx.args.positional[1];
  if (!session) throw new BenchtopError('INVALID_ARGUMENT', `Which lease? \`benchtop gpus ${action}\` needs the SESSION shown by \`benchtop gpus\`.`, `benchtop gpus ${action} SESSION --target HOST`);
  return session;
};

async function claim(ctx: CliContext, target: string): Promise<number> {
  const ids = stringOption(ctx.args, 'gpu')?.split(',').map((s) => s.trim()).filter(Boolean);
  const wait = flag(ctx.args, 'wait');
  let result = await ctx.handlers.gpuClaim({ target, count: number(ctx, 'count'), ids, hours: number(ctx, 'hours'), wait }) as GpuClaimResult;
  if (result.status === 'queued' && wait) {
    ctx.err(`Waiting in the GPU queue of ${target} (Ctrl-C leaves it): position ${result.position}.`);
    const sessionId = result.sessionId;
    const gpus = await ctx.core.ops.run(ctx.newOpId(), async (op) => {
      // Each new place in the line is the wait's `gpu-queue` step: "position N of M in the GPU queue of HOST".
      const off = follow(ctx, op.id, { operationStep: (s) => {
        if (s.step === 'gpu-queue') ctx.err(`${s.detail ?? s.step}.`);
      } }, { children: false });
      try {
        return await ctx.core.gpus.waitForGrant(op, target, sessionId);
      } finally {
        off();
      }
    });
    const lease = (await ctx.core.gpus.list(target)).find((l) => l.sessionId === sessionId);
    result = { status: 'granted', sessionId, gpus, expires: lease?.expires };
  }
  if (ctx.json) ctx.out(JSON.stringify(result, null, 2));
  else if (result.status === 'granted') ctx.out(`Claimed ${result.gpus.join(', ')} on ${target} as ${result.sessionId}, until ${clock(result.expires)}. Free them with: benchtop gpus release ${result.sessionId} --target ${target}`);
  else ctx.out(`All cards are taken: ${result.sessionId} waits in the queue of ${target} at position ${result.position}. Leave it with: benchtop gpus queue --cancel ${result.sessionId} --target ${target}`);
  return result.status === 'granted' ? EXIT.OK : EXIT.NEGATIVE;
}

export const gpusCommand: Command = {
  name: 'gpus',
  usage: `benchtop gpus [--target local|HOST] [--reap] [--json]
benchtop gpus claim   --target HOST [--count N | --gpu ID[,ID…]] [--hours H] [--wait] [--json]
benchtop gpus extend  SESSION --target HOST [--hours H] [--json]
benchtop gpus release SESSION --target HOST [--json]
benchtop gpus queue   --target HOST [--cancel SESSION] [--json]

One row per card: its holder, session, since when, until when (the host engine's clock), utilization
and memory; then the queue of claims waiting for cards, first come first served. Leases, the queue
and the host's policy live on the host's engine, so every teammate sees the same board, and the
host's agent stops expired or idle sessions and hands freed cards to the queue with every laptop
closed. Starting a session that needs a GPU waits in the queue when every card is taken.
claim takes cards for use outside a session (the SESSION it prints names the claim); --wait joins
the queue and waits when none are free. extend sets the lease to end H hours from now (the host's
default lease length when absent). --reap frees the GPUs of sessions that stopped or no longer exist.
Exit codes: 0 done; 1 claim queued without --wait; 2 error (GPU_BUSY, QUOTA_EXCEEDED, NOT_OWNER…).`,
  options: {
    target: { type: 'string', value: 'local|HOST', help: 'where: this computer (local) or a host id from `benchtop host ls`' },
    reap: { type: 'boolean', help: 'first free the GPUs of sessions that stopped or no longer exist' },
    count: { type: 'string', value: 'N', help: 'claim: how many cards (default 1)' },
    gpu: { type: 'string', value: 'ID[,ID…]', help: 'claim: these cards (index or UUID)' },
    hours: { type: 'string', value: 'H', help: 'claim, extend: lease length in hours (fractions allowed; at most the host policy\'s maximum)' },
    wait: { type: 'boolean', help: 'claim: wait in the queue when no card is free' },
    cancel: { type: 'string', value: 'SESSION', help: 'queue: leave the queue' },
  },
  async run(ctx) {
    const target = stringOption(ctx.args, 'target') ?? 'local';
    const action = ctx.args.positional[0] ?? 'board';
    if (action === 'board' && ctx.core.slurm.isCluster(target)) return slurmGpus(ctx, target);
    const print = (value: unknown, human: string) => ctx.out(ctx.json ? JSON.stringify(value, null, 2) : human);
    switch (action) {
      case 'board': {
        const freed = flag(ctx.args, 'reap') ? await ctx.core.gpus.reap(target) : [];
        if (!ctx.json) for (const l of freed) ctx.out(`Freed ${l.gpu} (held by ${l.holder} for session ${l.sessionId}, which is no longer running).`);
        const board = await ctx.core.gpus.board(target);
        print(flag(ctx.args, 'reap') ? { ...board, freed } : board, formatBoard(board));
        return EXIT.OK;
      }
      case 'claim':
        return claim(ctx, target);
      case 'extend': {
        if (ctx.core.slurm.isCluster(target)) return slurmExtend(ctx, needSession(ctx, 'extend'), number(ctx, 'hours'));
        const leases = await ctx.handlers.gpuExtend({ target, sessionId: needSession(ctx, 'extend'), hours: number(ctx, 'hours') });
        print(leases, `Extended ${leases.map((l) => l.gpu).join(', ')} until ${clock(leases[0]?.expires)}.`);
        return EXIT.OK;
      }
      case 'release': {
        const { freed } = await ctx.handlers.gpuRelease({ target, sessionId: needSession(ctx, 'release') });
        print({ freed }, freed.length ? `Freed ${freed.join(', ')} on ${target}.` : 'Left the queue.');
        return EXIT.OK;
      }
      case 'queue': {
        const cancel = stringOption(ctx.args, 'cancel');
        if (cancel) {
          print(await ctx.handlers.gpuQueueCancel({ target, sessionId: cancel }), `${cancel} left the queue of ${target}.`);
          return EXIT.OK;
        }
        const queue = await ctx.core.gpus.queue(target);
        print(queue, formatQueue(queue));
        return EXIT.OK;
      }
      default:
        throw new BenchtopError('INVALID_ARGUMENT', `Unknown gpus action "${action}".`, 'Use claim, extend, release or queue, or nothing for the board (see `benchtop gpus --help`).');
    }
  },
};
