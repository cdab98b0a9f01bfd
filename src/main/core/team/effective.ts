import type { HostPolicy } from '../../../shared/contract/hosts';
import type { TeamFile } from '../../../shared/contract/team';
import { DEFAULT_SETTINGS } from '../settings/schema';
import { isTeamHost } from './cluster';

/**
 * Team file values acted on where the user (or the host's admin) has set nothing of their own. The
 * user's settings file holds every key, so a value still equal to the built-in default counts as
 * "not set" (as the Settings screen's origins do, in ./layers.ts).
 */

/** Where a session starts when the call names no target: the user's choice, else the team's, else local. */
export function effectiveDefaultTarget(userValue: string, team: TeamFile | undefined, added: readonly { id: string; spec: string }[] = []): string {
  if (userValue && userValue !== DEFAULT_SETTINGS.defaultTarget) return userValue;
  const target = team?.defaultTarget ?? DEFAULT_SETTINGS.defaultTarget;
  // The team names its hosts by its own ids; this install knows a joined host by the id it was added under.
  const teamHost = team?.hosts.find((h) => h.id === target);
  return (teamHost && added.find((h) => isTeamHost(h.spec, teamHost))?.id) ?? target;
}

/** The team's GPU policy defaults in the host policy's terms. */
export function teamPolicyDefaults(team: TeamFile | undefined): Partial<Omit<HostPolicy, 'setBy' | 'setAt'>> {
  const p = team?.gpuPolicy;
  if (!p) return {};
  const out: Partial<Omit<HostPolicy, 'setBy' | 'setAt'>> = {};
  if (p.maxGpusPerUser !== undefined) out.maxGpusPerUser = p.maxGpusPerUser;
  if (p.defaultLeaseHours !== undefined) out.leaseHours = p.defaultLeaseHours;
  if (p.maxLeaseHours !== undefined) out.maxLeaseHours = p.maxLeaseHours;
  if (p.idleMinutes !== undefined) out.idleMinutes = p.idleMinutes;
  if (p.utilizationThreshold !== undefined) out.gpuIdleUtilPercent = p.utilizationThreshold;
  return out;
}

/**
 * A policy change an admin makes on a host that still has the built-in defaults: the fields they
 * did not give come from the team's defaults (a host with a policy of its own keeps its values).
 */
export function policyChangeWithTeamDefaults(current: HostPolicy, change: Partial<Omit<HostPolicy, 'setBy' | 'setAt'>>, team: TeamFile | undefined): Partial<Omit<HostPolicy, 'setBy' | 'setAt'>> {
  if (current.setBy !== undefined) return change;
  return { ...teamPolicyDefaults(team), ...change };
}
