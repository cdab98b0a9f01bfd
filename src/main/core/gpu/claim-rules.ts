import type { GpuInfo, HostPolicy } from '../../../shared/contract/hosts';
import { BenchtopError } from '../errors';
import { ownerFromLabels, type Owner } from '../identity/owner';
import type { GpuBooks } from './books';
import { gpuId } from './nvidia-smi';

/** The rules a claim, an extension or a release is held to; pure, so each reads on its own. */

export const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** A lease's length in seconds: asked hours within the host policy's maximum, else its default. */
export function leaseSeconds(policy: HostPolicy, hours: number | undefined): number {
  if (hours !== undefined && !(hours > 0)) {
    throw new BenchtopError('INVALID_ARGUMENT', `A lease of ${hours} hours is not a lease.`, 'Ask for a positive number of hours (fractions allowed).');
  }
  if (hours !== undefined && hours > policy.maxLeaseHours) {
    throw new BenchtopError('QUOTA_EXCEEDED', `The host allows leases of at most ${policy.maxLeaseHours} hours; ${hours} were asked.`,
      `Ask for ${policy.maxLeaseHours} hours or less, and extend the lease later if you still need it.`);
  }
  return (hours ?? policy.leaseHours) * 3600;
}

/** QUOTA_EXCEEDED when `count` more cards would put this owner over the host's GPUs per user. */
export function checkQuota(target: string, books: GpuBooks, owner: Owner, count: number, sessionId: string): void {
  const max = books.policy.maxGpusPerUser;
  if (!max) return;
  const mine = [...books.leases.values()].filter((h) => h.lease.ownerId === owner.id && h.lease.sessionId !== sessionId).length;
  if (mine + count > max) {
    throw new BenchtopError('QUOTA_EXCEEDED',
      `${target} allows ${plural(max, 'GPU')} per user; you hold ${mine} and asked for ${count} more.`,
      'Release a lease you no longer need (`benchtop gpus release SESSION`), or ask the host\'s admin.');
  }
}

/** NOT_OWNER unless the record's labels name this owner. */
export function assertOwner(labels: Record<string, string>, owner: Owner, what: string): void {
  const holder = ownerFromLabels(labels);
  if (holder?.id !== owner.id) {
    throw new BenchtopError('NOT_OWNER', `${what[0].toUpperCase()}${what.slice(1)} belongs to ${holder?.name ?? 'someone else'}, not to you.`,
      'Only its holder can change it; ask them, or wait for it to expire.');
  }
}

/** A card named by index or UUID, as the books key it; GPU_UNAVAILABLE for one the target lacks. */
export function resolveGpu(target: string, inventory: GpuInfo[], id: string): string {
  const gpu = inventory.find((g) => g.uuid === id || String(g.index) === id);
  if (!gpu) {
    throw new BenchtopError('GPU_UNAVAILABLE', `${target} has no GPU "${id}" (it has ${inventory.map((g) => `${g.index} ${gpuId(g)}`).join(', ')}).`,
      'Use an index or UUID from `benchtop gpus`.');
  }
  return gpuId(gpu);
}

/** When a session's lease ends, from the books. */
export function expiryOf(books: GpuBooks, sessionId: string): string | undefined {
  return [...books.leases.values()].find((h) => h.lease.sessionId === sessionId)?.lease.expires;
}
