import type { EngineEndpoint, EngineInfo } from '../../../shared/contract/engine';
import type { CheckResult } from '../../../shared/contract/machine';
import type { ErrorCode } from '../../../shared/errors';
import type { HostRequirements, ProjectInfo } from '../../../shared/contract/project';
import type { BenchtopError } from '../errors';
import type { NvidiaSmiOutcome } from '../gpu/nvidia-smi';

/** What a check decides; the service adds id, title and duration. */
export type CheckOutcome = Omit<CheckResult, 'id' | 'title' | 'durationMs'>;

/** The parts of a project the checks hold this computer against. */
export type ProjectFacts = Pick<ProjectInfo, 'image' | 'pinned' | 'hostRequirements'>;

/** The engine's proxy settings: the daemon pulls images through these, not through ours. */
export interface DaemonProxy {
  http?: string;
  https?: string;
  no?: string;
}

export type EngineFacts =
  | { ok: true; info: EngineInfo; proxy: DaemonProxy; durationMs: number }
  | { ok: false; error: BenchtopError; endpoint?: EngineEndpoint; durationMs: number };

/** What is known about the project's pinned image without pulling it. */
export interface ImageFacts {
  ref: string;
  /** Already on this computer's engine (then nothing needs downloading). */
  present: boolean;
  /** `os/arch` the image is published for, when known. */
  platforms?: string[];
  /** Compressed size from the registry, or the unpacked size of the local copy. */
  sizeBytes?: number;
  /** `dev.benchtop.cuda`, e.g. `12.4`. */
  cudaVersion?: string;
  /** Where these facts came from, e.g. `local engine`, `registry`. */
  source: string;
  /** Why facts are missing, when they are. */
  problem?: string;
  /** The error behind `problem` (IMAGE_PLATFORM_MISSING, REGISTRY_AUTH_FAILED…). */
  code?: ErrorCode;
}

/** Everything a check may look at. The slow facts are shared promises, fetched once per run (or cached). */
export interface CheckContext {
  project?: ProjectFacts;
  requirements: HostRequirements;
  env: NodeJS.ProcessEnv;
  sessionPorts: { first: number; last: number };
  engine: () => Promise<EngineFacts>;
  gpus: () => Promise<NvidiaSmiOutcome>;
  image: () => Promise<ImageFacts | undefined>;
}

export interface MachineCheck {
  id: string;
  title: string;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export type { CheckResult };
