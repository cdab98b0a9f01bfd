import type { GpuNotice, HostPolicy } from '../../../shared/contract/hosts';
import type { EngineService } from '../engine/service';
import type { Owner } from '../identity/owner';
import type { Logger } from '../log/logger';
import { SCOPE_LABEL } from './lease-labels';
import { NOTICE_LABEL, noticeFromLabels } from './notice-labels';
import { mergePolicy, newestPolicy, policyFromLabels, policyLabels, POLICY_LABEL } from './policy';
import { inScope } from './records';

/**
 * What a host keeps as volumes beside the GPU books: the admin's policy (the newest policy volume
 * wins) and the agent's notices to each holder. Reads one volume list each, no nvidia-smi.
 */
export class HostVolumes {
  constructor(private readonly deps: { engines: EngineService; owner: () => Owner; scope?: string; log?: Logger }) {}

  async policy(target: string): Promise<HostPolicy> {
    const volumes = await this.deps.engines.call(target, 'read host policy', (d) => d.listVolumes({ filters: { label: [`${POLICY_LABEL}=1`] } }));
    return policyFromLabels(newestPolicy((volumes.Volumes ?? []).filter((v) => inScope(v.Labels, this.deps.scope))));
  }

  /** Sets the fields given (the rest keep their value); the newest policy volume wins, older ones are removed. */
  async setPolicy(target: string, change: Partial<HostPolicy>): Promise<HostPolicy> {
    const { engines, scope, log } = this.deps;
    const owner = this.deps.owner();
    const next = mergePolicy(await this.policy(target), change);
    const setAt = await engines.call(target, 'read engine clock', async (d) => (await d.info() as { SystemTime?: string }).SystemTime ?? new Date().toISOString());
    const stamp = setAt.replace(/[^0-9]/g, '').slice(0, 20);
    const labels = { ...policyLabels(next, owner.name, setAt), ...(scope ? { [SCOPE_LABEL]: scope } : {}) };
    await engines.call(target, 'write host policy', (d) => d.createVolume({ Name: `benchtop-policy-${stamp}`, Labels: labels }));
    const all = await engines.call(target, 'read host policy', (d) => d.listVolumes({ filters: { label: [`${POLICY_LABEL}=1`] } }));
    for (const v of (all.Volumes ?? []).filter((x) => inScope(x.Labels, scope) && x.Name !== `benchtop-policy-${stamp}`)) {
      await engines.call(target, 'remove old host policy', (d) => d.getVolume(v.Name).remove())
        .catch((error: unknown) => log?.ignored(`removing the older policy volume ${v.Name} on ${target}`, error));
    }
    return { ...next, setBy: owner.name, setAt };
  }

  /** The agent's notices on a target, oldest first. */
  async notices(target: string): Promise<GpuNotice[]> {
    const owner = this.deps.owner();
    const volumes = await this.deps.engines.call(target, 'read GPU notices', (d) => d.listVolumes({ filters: { label: [`${NOTICE_LABEL}=1`] } }));
    return (volumes.Volumes ?? []).filter((v) => inScope(v.Labels, this.deps.scope)).map((v) => noticeFromLabels(target, v.Labels, owner))
      .filter((n): n is GpuNotice => !!n).sort((a, b) => a.at.localeCompare(b.at));
  }
}
