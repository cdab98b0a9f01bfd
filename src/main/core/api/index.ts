import type { Core } from '../core';
import { loggedHandlers } from '../log/logged-handlers';
import { appHandlers } from './app';
import { cloudHandlers } from './cloud';
import { editorHandlers } from './editor';
import { engineHandlers } from './engine';
import { gpusHandlers } from './gpus';
import { hostsHandlers } from './hosts';
import { imagesHandlers } from './images';
import { linksHandlers } from './links';
import { machineHandlers } from './machine';
import { projectHandlers } from './project';
import { sessionsHandlers } from './sessions';
import { slurmHandlers } from './slurm';
import { teamHandlers } from './team';
import { updatesHandlers } from './updates';
import type { Handlers } from './types';

/**
 * Every call of the contract, answered by the core. Electron's IPC binding and the e2e test bridge
 * both serve exactly this object, so the UI behaves the same under either.
 */
export function createHandlers(core: Core): Handlers {
  return loggedHandlers<Handlers>({
    ...appHandlers(core),
    ...engineHandlers(core),
    ...machineHandlers(core),
    ...projectHandlers(core),
    ...imagesHandlers(core),
    ...sessionsHandlers(core),
    ...teamHandlers(core),
    ...hostsHandlers(core),
    ...gpusHandlers(core),
    ...cloudHandlers(core),
    ...slurmHandlers(core),
    ...linksHandlers(core),
    ...editorHandlers(core),
    ...updatesHandlers(core),
  }, core.log.child('api'));
}
