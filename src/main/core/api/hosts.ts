import type { HostsInvoke } from '../../../shared/contract/hosts';
import type { Core } from '../core';
import { notImplemented } from './not-implemented';
import type { HandlersFor } from './types';

export function hostsHandlers(_core: Core): HandlersFor<HostsInvoke> {
  return {
    hostList: notImplemented('hostList'),
    hostAdd: notImplemented('hostAdd'),
    hostTrust: notImplemented('hostTrust'),
    hostTest: notImplemented('hostTest'),
    hostRemove: notImplemented('hostRemove'),
    sessionSync: notImplemented('sessionSync'),
    sessionMove: notImplemented('sessionMove'),
  };
}
