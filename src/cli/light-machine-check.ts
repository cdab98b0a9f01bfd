import { systemClock } from '../main/core/clock';
import { EngineService } from '../main/core/engine/service';
import { runLocalNvidiaSmi } from '../main/core/gpu/run-nvidia-smi';
import { MachineCheckService } from '../main/core/machine/service';
import { openConfSettings } from '../main/core/settings/conf-store';
import { Operation } from '../main/core/operation';

/**
 * The machine check of this computer without a project, built from the same pieces Core gives it
 * (engines, nvidia-smi on this computer, the settings' port range) but without the rest of the core:
 * `benchtop check` in a plain folder loads only what it asks. With a project it needs the project
 * and registry services, and runs through the core.
 */
export function lightMachineCheck(env: NodeJS.ProcessEnv): MachineCheckService {
  return new MachineCheckService({
    engines: new EngineService(),
    settings: openConfSettings(),
    clock: systemClock,
    env,
    gpuProbe: () => runLocalNvidiaSmi({ env }),
  });
}

/**
 * The check's operation on the fast path: nobody follows it (no event bus, no log lines of its own),
 * so its id needs to be unique in this process only, and no random UUID (node:crypto) is loaded for it.
 */
export function lightOperation(): Operation {
  return new Operation({ id: `cli-${process.pid}-${Date.now().toString(36)}` });
}
