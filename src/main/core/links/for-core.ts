import type { LinkHostResult } from '../../../shared/contract/links';
import type { Core } from '../core';
import type { TeamHostJoin } from '../team/service';
import { readProjectTeamFile, readTeamSource } from '../team/load';
import { BenchtopError } from '../errors';
import { LinkService } from './service';
import { dirname } from 'node:path';

/** What joining a team host did, in the links contract's words. */
export function hostResult(join: TeamHostJoin): LinkHostResult {
  if (join.status === 'key-not-listed') {
    return { id: join.id, status: join.status, message: `${join.id} presents key ${join.fingerprint}, which the team file does not list: it is not trusted. Ask your team lead.` };
  }
  if (join.status === 'failed') return { id: join.id, status: 'failed', message: `${join.code}: ${join.message}` };
  return { id: join.id, status: join.status };
}

/** The core's LinkService, wired to its projects, team file and hosts (kept here so core.ts stays short). */
export function linkServiceFor(core: Core): LinkService {
  return new LinkService({
    bus: core.bus,
    dataDir: dirname(core.settings.path),
    env: core.env,
    log: core.log.child('links'),
    readProject: async (dir) => {
      const project = await core.projects.read(dir);
      return { name: project.name, image: project.image, pinned: project.pinned, warnings: project.warnings };
    },
    readProjectTeam: (dir) => readProjectTeamFile(dir),
    probeImage: async (image) => {
      try {
        return { sizeBytes: await core.registry.imageSize(image) };
      } catch (error) {
        const e = error instanceof BenchtopError ? error : new BenchtopError('INTERNAL', String(error));
        if (e.code === 'REGISTRY_AUTH_FAILED') {
          return { warning: `${e.message} Add a registry login in Settings (or \`docker login\`) before the pull, or the start stops there.` };
        }
        return { warning: `The image could not be looked up now (${e.code}: ${e.message}); the start will try again.` };
      }
    },
    readTeamSource: (url) => readTeamSource(url),
    setTeamSource: (url) => core.settings.set('team', url),
    joinHosts: async (dir) => (await core.team.joinHosts(dir)).map(hostResult),
  });
}
