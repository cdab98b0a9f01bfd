import type { HostAddRequest } from '../../../shared/contract/hosts';
import type { SlurmHostOptions } from '../../../shared/contract/slurm';
import type { TeamFile, TeamHost } from '../../../shared/contract/team';

/**
 * How a team file's host becomes this install's host: an SSH host is added by its address; a Slurm
 * cluster (`"kind": "slurm"`) as `slurm://<login name>@<login node>`, where the login name is the
 * address's own user part, else the analyst's own (each logs in as themself), and with its job settings
 * over the team's `slurm` defaults. `{user}` in the cluster's sharedDir becomes that login name.
 * The Settings user name is never used: it is the name teammates see, not an account.
 */

/** A name `ssh` and Slurm accept as a login name (POSIX portable, as useradd takes it). */
export const LOGIN_NAME = /^[a-z_][a-z0-9_.-]{0,31}$/i;

const userOf = (address: string) => /^([^@]+)@/.exec(address)?.[1];
const withoutUser = (address: string) => address.replace(/^[^@]*@/, '');

/**
 * The login name the team file itself gives a cluster (the address's user part); undefined leaves
 * it to ssh (~/.ssh/config's User for the login node, else the OS account).
 */
export function clusterLoginName(host: TeamHost): string | undefined {
  return userOf(host.address);
}

/** The login node of an address (`[user@]host[:port]`, `[v6]:port`), as ssh is asked for it. */
export function loginNodeOf(address: string): { alias: string; port?: number } {
  const rest = withoutUser(address);
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(rest);
  const alias = m?.[1] ?? m?.[2] ?? rest;
  return m?.[3] ? { alias, port: Number(m[3]) } : { alias };
}

/** The host add request that joins one team host; `login` is the login name for a cluster. */
export function teamHostAddRequest(host: TeamHost, team: Pick<TeamFile, 'slurm'>, login: string): HostAddRequest {
  if (host.kind !== 'slurm') return host.dockerSocket ? { spec: host.address, dockerSocket: host.dockerSocket } : { spec: host.address };
  const slurm: SlurmHostOptions = { ...team.slurm, ...host.slurm };
  if (slurm.sharedDir) slurm.sharedDir = slurm.sharedDir.replaceAll('{user}', login);
  return { spec: `slurm://${login}@${withoutUser(host.address)}`, slurm };
}

/**
 * Whether a host this install has (its spec as added) is the team's host: an SSH host by its exact
 * address; a cluster by its login node whatever name it logs in with.
 */
export function isTeamHost(spec: string, host: TeamHost): boolean {
  if (host.kind !== 'slurm') return spec === host.address;
  if (!/^slurm:\/\//i.test(spec)) return false;
  const added = spec.replace(/^slurm:\/\//i, '');
  return withoutUser(added) === withoutUser(host.address) && (userOf(host.address) === undefined || userOf(added) === userOf(host.address));
}
