import type { SettingOrigin, TeamFile } from '../../../shared/contract/team';
import { DEFAULT_SETTINGS, type Settings } from '../settings/schema';

/**
 * The effective settings, layered team → user → project (a later layer wins), with where each value
 * came from. The user's settings file holds every key (its defaults are written out), so a user
 * value still equal to the default counts as "not set": the team's value shows through it.
 */
export interface ProjectLayer {
  devcontainerPath: string;
  idleMinutes?: number;
}

type UserSettings = Pick<Settings, 'defaultTarget' | 'idleMinutes' | 'hosts'>;

function pick(key: string, candidates: (SettingOrigin | undefined)[]): SettingOrigin {
  return candidates.filter((c): c is SettingOrigin => !!c).at(-1) ?? { key, value: '', source: 'default' };
}

export function layeredSettings(team: TeamFile | undefined, user: UserSettings, project: ProjectLayer | undefined, userFile: string): SettingOrigin[] {
  const fromTeam = (key: string, value: unknown): SettingOrigin | undefined =>
    value === undefined || team === undefined ? undefined : { key, value: Array.isArray(value) ? value.join(', ') : String(value), source: 'team', from: team.source };
  const fromUser = <K extends keyof UserSettings>(key: K): SettingOrigin | undefined =>
    user[key] === DEFAULT_SETTINGS[key] ? undefined : { key, value: String(user[key]), source: 'user', from: userFile };
  const values: SettingOrigin[] = [
    pick('defaultTarget', [{ key: 'defaultTarget', value: DEFAULT_SETTINGS.defaultTarget, source: 'default' }, fromTeam('defaultTarget', team?.defaultTarget), fromUser('defaultTarget')]),
    pick('idleMinutes', [
      { key: 'idleMinutes', value: String(DEFAULT_SETTINGS.idleMinutes), source: 'default' },
      fromTeam('idleMinutes', team?.idleMinutes),
      fromUser('idleMinutes'),
      project?.idleMinutes === undefined ? undefined : { key: 'idleMinutes', value: String(project.idleMinutes), source: 'project', from: project.devcontainerPath },
    ]),
    pick('registry', [{ key: 'registry', value: '(as each image names it)', source: 'default' }, fromTeam('registry', team?.registry)]),
  ];
  if (team?.cloud?.project) values.push(pick('cloud.project', [fromTeam('cloud.project', team.cloud.project)]));
  if (team?.cloud?.zones.length) values.push(pick('cloud.zones', [fromTeam('cloud.zones', team.cloud.zones)]));
  for (const [key, value] of Object.entries(team?.gpuPolicy ?? {})) values.push(pick(`gpuPolicy.${key}`, [fromTeam(`gpuPolicy.${key}`, value)]));
  // Hosts: the team's, with the user's own added (a user host of the same id wins).
  const hosts = new Map<string, SettingOrigin>();
  for (const h of team?.hosts ?? []) hosts.set(h.id, { key: `hosts.${h.id}`, value: `${h.kind === 'slurm' ? 'Slurm cluster ' : ''}${h.address} (${h.fingerprints.join(', ')})`, source: 'team', from: team?.source });
  for (const h of user.hosts) hosts.set(h.id, { key: `hosts.${h.id}`, value: h.spec, source: 'user', from: userFile });
  values.push(...hosts.values());
  return values;
}
