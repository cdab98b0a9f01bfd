import type { CloudVm } from '../../../../shared/ipc';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../api';
import { useCall } from '../../hooks/useCall';

export interface CloudCosts {
  /** The cloud VM behind each session target that is one (host id → VM). */
  byHost: ReadonlyMap<string, CloudVm>;
  /** Why the VMs could not be read (the cards say the cost is unknown, with this code). */
  error: ErrorInfo | null;
}

/**
 * The cloud VMs behind these session targets, for the running cost on the session cards. Targets
 * that are not this install's cloud VMs cost no GCE call (the core answers [] at once).
 */
export function useCloudCosts(targets: readonly string[]): CloudCosts {
  const hostIds = [...new Set(targets.filter((t) => t !== 'local'))].sort();
  const call = useCall(hostIds.length > 0 ? () => api.cloudVmList({ hostIds }) : null, `cloud-costs ${hostIds.join(',')}`);
  const byHost = new Map<string, CloudVm>();
  for (const vm of call.data ?? []) if (vm.hostId) byHost.set(vm.hostId, vm);
  return { byHost, error: call.error };
}
