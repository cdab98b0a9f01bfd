import { createHash } from 'node:crypto';

/**
 * The session id, also the container name: readable (`benchtop-<project>-…`) and unique per project
 * folder and target, so "one session per project per target" is enforced by the engine's own name
 * uniqueness, and a session on gpu-box never collides with the laptop's.
 */
export function sessionIdFor(projectName: string, projectDir: string, target: string): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 40) || 'project';
  const hash = createHash('sha256').update(`${target}\0${projectDir}`).digest('hex').slice(0, 8);
  return `benchtop-${slug}-${hash}`;
}
