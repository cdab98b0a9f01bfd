import type { HostAddRequest, HostAddResult, HostInfo } from '../../../shared/contract/hosts';
import type { TeamFile, TeamHost, TeamSettingsView } from '../../../shared/contract/team';
import { BenchtopError } from '../errors';
import type { Logger } from '../log/logger';
import type { SettingsStore } from '../settings/store';
import { localUserName, type HostPaths } from '../hosts/host-config';
import { resolveSshHost } from '../ssh/resolve';
import { clusterLoginName, isTeamHost, LOGIN_NAME, loginNodeOf, teamHostAddRequest } from './cluster';
import { effectiveDefaultTarget } from './effective';
import { layeredSettings, type ProjectLayer } from './layers';
import { readProjectTeamFile, readTeamSource } from './load';

export interface TeamServiceDeps {
  settings: SettingsStore;
  /** The project's own layer: its devcontainer.json and the idle minutes it sets, if any. */
  project: (dir: string) => Promise<ProjectLayer & { dir: string }>;
  hosts: { add(req: HostAddRequest): Promise<HostAddResult>; trust(hostId: string, fingerprint: string): Promise<HostInfo>; readonly paths: HostPaths };
  /** For ssh's answer to who a team cluster is logged in to as (process.env when absent). */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  log?: Logger;
}

/** What joining a team did for one of its hosts. */
export type TeamHostJoin =
  | { id: string; status: 'added' | 'trusted'; hostId: string }
  /** The host presents a key the team file does not list: nothing is trusted; the user decides. */
  | { id: string; status: 'key-not-listed'; hostId: string; fingerprint: string }
  | { id: string; status: 'failed'; code: string; message: string };

/**
 * The team file: read from the project (`.benchtop/team.json`) or the user's team setting (a URL or
 * a path), shown layered with the user's and the project's settings, and used to add the team's
 * hosts with their keys trusted by the fingerprints the lead wrote down.
 */
export class TeamService {
  readonly #d: TeamServiceDeps;

  constructor(deps: TeamServiceDeps) {
    this.#d = deps;
  }

  /** The project's team file, else the one the team setting names, else none. */
  async load(dir?: string): Promise<TeamFile | undefined> {
    if (dir) {
      const project = await this.#d.project(dir);
      const own = await readProjectTeamFile(project.dir);
      if (own) return own;
    }
    const source = this.#d.settings.get('team');
    return source ? readTeamSource(source, this.#d.fetch) : undefined;
  }

  /**
   * Where a session starts when the call names no target: the user's own setting, else the team
   * file's defaultTarget, else local. A team file that cannot be read then is logged, not fatal:
   * the user's start goes on locally.
   */
  async defaultTarget(dir?: string): Promise<string> {
    const own = this.#d.settings.get('defaultTarget');
    const chosen = effectiveDefaultTarget(own, undefined);
    if (chosen !== effectiveDefaultTarget('', undefined)) return chosen;
    try {
      return effectiveDefaultTarget(own, await this.load(dir), this.#d.settings.get('hosts'));
    } catch (error) {
      this.#d.log?.ignored('read the team file for the default target (starting locally)', error);
      return chosen;
    }
  }

  async view(dir?: string): Promise<TeamSettingsView> {
    const project = dir ? await this.#d.project(dir) : undefined;
    const team = await this.load(dir);
    const s = this.#d.settings;
    const values = layeredSettings(team, { defaultTarget: s.get('defaultTarget'), idleMinutes: s.get('idleMinutes'), hosts: s.get('hosts') }, project, s.path);
    return team ? { team, values } : { values };
  }

  /**
   * Adds every host of the team file (a cluster as a slurm host, logged in as this user). A host key
   * is trusted without asking only when its fingerprint is one the team file lists; any other key
   * is left for the user to judge.
   */
  async joinHosts(dir?: string): Promise<TeamHostJoin[]> {
    const team = await this.load(dir);
    if (!team) {
      throw new BenchtopError('TEAM_FILE_INVALID', dir ? `${dir} has no .benchtop/team.json and no team file is set.` : 'No team file is set.',
        'Commit a .benchtop/team.json to the project, or set the team file (a URL) in Settings.');
    }
    const results: TeamHostJoin[] = [];
    for (const host of team.hosts) results.push(await this.#join(host, team));
    return results;
  }

  /**
   * Who this user logs in to a team cluster as: the team file's name, else as ssh would
   * (~/.ssh/config's User, else the OS account); never the Settings name, which is only shown.
   */
  async #loginName(host: TeamHost): Promise<string> {
    const env = this.#d.env ?? process.env;
    const paths = this.#d.hosts.paths;
    const login = clusterLoginName(host)
      ?? ((await resolveSshHost(loginNodeOf(host.address), { configPath: paths.sshConfigPath, home: paths.home, env, knownHostsPath: paths.knownHostsPath, ssh: paths.ssh })).user || localUserName(env));
    if (!LOGIN_NAME.test(login)) {
      throw new BenchtopError('HOST_INVALID', `"${login}" is not a login name a cluster accepts, so ${host.id} cannot be joined as it.`,
        `Set your account on the login node in ~/.ssh/config (Host ${loginNodeOf(host.address).alias} / User NAME), then join again.`);
    }
    return login;
  }

  async #join(host: TeamHost, team: TeamFile): Promise<TeamHostJoin> {
    try {
      const login = host.kind === 'slurm' ? await this.#loginName(host) : '';
      const added = await this.#d.hosts.add(teamHostAddRequest(host, team, login));
      if (added.status === 'added') return { id: host.id, status: 'added', hostId: added.host.id };
      if (!host.fingerprints.includes(added.fingerprint)) {
        return { id: host.id, status: 'key-not-listed', hostId: added.hostId, fingerprint: added.fingerprint };
      }
      await this.#d.hosts.trust(added.hostId, added.fingerprint);
      return { id: host.id, status: 'trusted', hostId: added.hostId };
    } catch (error) {
      const e = error instanceof BenchtopError ? error : new BenchtopError('INTERNAL', String(error));
      // Joining again (a second link, the button pressed twice) leaves a host already added and trusted as it is.
      const known = this.#d.settings.get('hosts').find((h) => isTeamHost(h.spec, host));
      if (e.code === 'HOST_EXISTS' && known) return { id: host.id, status: 'added', hostId: known.id };
      return { id: host.id, status: 'failed', code: e.code, message: e.message };
    }
  }
}
