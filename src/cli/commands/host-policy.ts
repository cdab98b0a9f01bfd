import type { HostPolicy } from '../../shared/contract/hosts';
import { stringOption, type OptionSpecs } from '../args';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { BenchtopError } from '../../main/core/errors';
import { describePolicy } from './gpus-format';

/** `benchtop host policy HOST [--max-gpus-per-user N] [--lease-hours D] [--max-lease-hours M] [--idle-minutes I] [--gpu-idle-util P]`. */
export const POLICY_OPTIONS: OptionSpecs = {
  'max-gpus-per-user': { type: 'string', value: 'N', help: 'policy: GPUs one person may hold at once (0: no limit)' },
  'lease-hours': { type: 'string', value: 'D', help: 'policy: a lease\'s default length (fractions allowed)' },
  'max-lease-hours': { type: 'string', value: 'M', help: 'policy: the longest lease a claim or extension may ask for' },
  'idle-minutes': { type: 'string', value: 'I', help: 'policy: stop sessions idle this long (0: only the project\'s own rule)' },
  'gpu-idle-util': { type: 'string', value: 'P', help: 'policy: a card under P% utilization counts as idle' },
};

const FIELDS: [string, keyof HostPolicy][] = [
  ['max-gpus-per-user', 'maxGpusPerUser'], ['lease-hours', 'leaseHours'], ['max-lease-hours', 'maxLeaseHours'],
  ['idle-minutes', 'idleMinutes'], ['gpu-idle-util', 'gpuIdleUtilPercent'],
];

/** Shows the host's policy, or sets the fields given (stored on the host, obeyed by every client and its agent). */
export async function hostPolicy(ctx: CliContext, hostId: string): Promise<number> {
  const change: Partial<Record<keyof HostPolicy, number>> = {};
  for (const [option, field] of FIELDS) {
    const raw = stringOption(ctx.args, option);
    if (raw === undefined) continue;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) {
      throw new BenchtopError('POLICY_INVALID', `--${option} takes a number, not "${raw}".`, 'Run `benchtop host --help` for the policy options.');
    }
    change[field] = value;
  }
  const policy = Object.keys(change).length
    ? await ctx.handlers.hostPolicySet({ hostId, policy: change }) as HostPolicy
    : await ctx.handlers.hostPolicyGet({ hostId }) as HostPolicy;
  ctx.out(ctx.json ? JSON.stringify(policy, null, 2) : `${hostId}: ${describePolicy(policy)}`);
  return EXIT.OK;
}
