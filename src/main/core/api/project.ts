import type { ProjectInvoke } from '../../../shared/contract/project';
import type { Core } from '../core';
import { notImplemented } from './not-implemented';
import type { HandlersFor } from './types';

export function projectHandlers(core: Core): HandlersFor<ProjectInvoke> {
  return {
    projectOpen: notImplemented('projectOpen'),
    projectCreate: notImplemented('projectCreate'),
    projectRecent: () => core.settings.get('recentProjects'),
    projectLockfileStatus: notImplemented('projectLockfileStatus'),
    projectDrift: notImplemented('projectDrift'),
    projectChooseFolder: () => core.desktop.chooseFolder(),
  };
}
