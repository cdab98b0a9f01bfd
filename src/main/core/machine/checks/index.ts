import type { MachineCheck } from '../types';
import { archCheck } from './arch';
import { cpusCheck } from './cpus';
import { diskCheck } from './disk';
import { engineAccessCheck } from './engine-access';
import { engineCheck } from './engine';
import { gpuDriverCheck } from './gpu-driver';
import { gpuRuntimeCheck } from './gpu-runtime';
import { gpuCheck } from './gpu';
import { memoryCheck } from './memory';
import { osCheck } from './os';
import { portsCheck } from './ports';
import { proxyCheck } from './proxy';

/** Every check, in the order the report lists them (they run concurrently). */
export const MACHINE_CHECKS: readonly MachineCheck[] = [
  osCheck,
  archCheck,
  cpusCheck,
  memoryCheck,
  diskCheck,
  engineCheck,
  engineAccessCheck,
  gpuCheck,
  gpuRuntimeCheck,
  gpuDriverCheck,
  portsCheck,
  proxyCheck,
];
