import { createHash } from 'node:crypto';

/**
 * The session id, also the container name: readable (`benchtop-<project>-…`) and unique per owner,
 * project folder and target, so "one session per project per target" is enforced by the engine's
 * own name uniqueness, a session on gpu-box never collides with the laptop's, and two teammates
 * with the same project path on one shared host get two sessions (the owner id is in the hash).
 */
export function sessionIdFor(projectName: string, projectDir: string, target: string, ownerId: string): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 40) || 'project';
  const hash = createHash('sha256').update(`${ownerId}\0${target}\0${projectDir}`).digest('hex').slice(0, 8);
  return `benchtop-${slug}-${hash}`;
}
