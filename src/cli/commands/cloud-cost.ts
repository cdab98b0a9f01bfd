import type { CloudVm } from '../../shared/contract/cloud';
import { toErrorInfo } from '../../main/core/errors';
import type { CliContext } from '../context';

/** Dollars with two decimals, right-aligned to `width` so columns of money line up. */
export const money = (usd: number, width = 0): string => `$${usd.toFixed(2)}`.padStart(width);

/** A cloud VM's price and what its current run has cost, fixed width: "  $0.59/h     $1.23". */
export function costCell(vm: CloudVm, now = Date.now()): string {
  if (vm.priceUnknown) return `price unknown (${vm.machineType})`;
  const hours = vm.runningSince ? Math.max(0, now - Date.parse(vm.runningSince)) / 3_600_000 : 0;
  return `${money(vm.pricePerHour, 7)}/h ${vm.runningSince ? money(vm.pricePerHour * hours, 9) : 'stopped'.padStart(9)}`;
}

/**
 * The cloud VMs behind these session targets (host id → VM). Targets that are not this install's
 * cloud VMs cost no GCE call. A failure is a warning on stderr (the listing still prints).
 */
export async function cloudVmsOfTargets(ctx: CliContext, targets: readonly string[]): Promise<Map<string, CloudVm>> {
  const hostIds = [...new Set(targets.filter((t) => t !== 'local'))];
  const byHost = new Map<string, CloudVm>();
  if (!hostIds.length) return byHost;
  try {
    for (const vm of (await ctx.handlers.cloudVmList({ hostIds })) as CloudVm[]) if (vm.hostId) byHost.set(vm.hostId, vm);
  } catch (error) {
    const info = toErrorInfo(error);
    ctx.err(`warning: the cost of sessions on cloud VMs is unknown: ${info.code}: ${info.message}${info.hint ? ` (${info.hint})` : ''}`);
  }
  return byHost;
}
