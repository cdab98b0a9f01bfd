import type { ProjectInfo } from '../../../shared/contract/project';

/** The image a project's sessions run: `repository@digest` when pinned, else `image` as written. */
export function imageToRun(project: Pick<ProjectInfo, 'pinned' | 'image'>): string {
  return project.pinned ? `${project.pinned.repository}@${project.pinned.digest}` : project.image;
}
