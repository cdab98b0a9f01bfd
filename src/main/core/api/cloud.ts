import type { CloudInvoke } from '../../../shared/contract/cloud';
import type { Core } from '../core';
import { BenchtopError } from '../errors';
import type { HandlersFor } from './types';

function needName(name: unknown): string {
  if (typeof name !== 'string' || !name) throw new BenchtopError('INVALID_ARGUMENT', 'Which VM? The call needs its name.', 'Pass the VM name as `benchtop cloud ls` shows it.');
  return name;
}

export function cloudHandlers(core: Core): HandlersFor<CloudInvoke> {
  return {
    cloudSettingsGet: (req) => core.cloud.settingsView(req?.projectDir),
    cloudSettingsSet: (req) => core.cloud.setSettings(req ?? {}),
    cloudOptions: (req) => core.cloud.options(req?.projectDir, req?.refreshPrices === true),
    cloudVmList: (req) => {
      if (req?.hostIds === undefined) return core.cloud.list(req?.projectDir);
      if (!Array.isArray(req.hostIds) || !req.hostIds.every((h) => typeof h === 'string')) throw new BenchtopError('INVALID_ARGUMENT', 'hostIds must be a list of host ids.', 'Pass the sessions\' targets.');
      return core.cloud.vmsOfHosts(req.hostIds);
    },
    cloudVmCreate: (req) => core.ops.run(req.opId, (op) => core.cloud.create(op, req)),
    cloudVmStart: ({ opId, name }) => core.ops.run(opId, (op) => core.cloud.start(op, needName(name))),
    cloudVmStop: ({ opId, name }) => core.ops.run(opId, (op) => core.cloud.stop(op, needName(name))),
    cloudVmResize: ({ opId, name, machineType, stopFirst }) => {
      if (typeof machineType !== 'string' || !machineType) throw new BenchtopError('INVALID_ARGUMENT', 'Resizing needs the new machine type.', 'Pass e.g. n1-standard-8.');
      return core.ops.run(opId, (op) => core.cloud.resize(op, needName(name), machineType, stopFirst === true));
    },
    cloudVmDelete: ({ opId, name }) => core.ops.run(opId, (op) => core.cloud.remove(op, needName(name))),
  };
}
