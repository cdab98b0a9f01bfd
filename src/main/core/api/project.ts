import type { ProjectInvoke } from '../../../shared/contract/project';
import type { Core } from '../core';
import type { HandlersFor } from './types';

export function projectHandlers(core: Core): HandlersFor<ProjectInvoke> {
  return {
    projectOpen: ({ dir }) => core.projects.open(dir),
    projectCreate: ({ dir, image }) => core.projects.create(dir, image),
    projectRecent: () => core.projects.recent(),
    projectLockfileStatus: ({ dir }) => core.lockfiles.status(dir),
    projectDrift: ({ sessionId }) => core.lockfiles.drift(sessionId),
    projectChooseFolder: () => core.desktop.chooseFolder(),
  };
}
