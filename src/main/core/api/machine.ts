import type { MachineInvoke } from '../../../shared/contract/machine';
import type { Core } from '../core';
import type { HandlersFor } from './types';

export function machineHandlers(core: Core): HandlersFor<MachineInvoke> {
  return {
    machineCheck: ({ opId, projectDir, refresh }) => core.ops.run(opId, (op) => core.machine.check(op, { projectDir, refresh })),
  };
}
