import type { MachineInvoke } from '../../../shared/contract/machine';
import type { Core } from '../core';
import { notImplemented } from './not-implemented';
import type { HandlersFor } from './types';

export function machineHandlers(_core: Core): HandlersFor<MachineInvoke> {
  return {
    machineCheck: notImplemented('machineCheck'),
  };
}
