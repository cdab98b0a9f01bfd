import type { LifecycleCommand, ProjectInfo } from '../../../shared/contract/project';
import { mapStrings, substituteContainer, type ContainerContext } from './substitute';

/**
 * The container-side half of devcontainer.json: `${containerWorkspaceFolder}` and
 * `${containerEnv:…}` resolved once the image (its Env) and the notebooks' place in it are known.
 * containerEnv sees the image's environment; remoteEnv and the lifecycle commands also see
 * containerEnv, as in the reference CLI.
 */
export interface SessionEnvironment {
  /** containerEnv then remoteEnv (Jupyter is the "remote" tool here: its kernels get remoteEnv too). */
  env: Record<string, string>;
  /** What lifecycle commands run with, beyond the container's own environment. */
  remoteEnv: Record<string, string>;
  postCreateCommand?: LifecycleCommand;
  postStartCommand?: LifecycleCommand;
}

export function sessionEnvironment(
  project: Pick<ProjectInfo, 'containerEnv' | 'container'>,
  imageEnv: Record<string, string>,
  workspace: string,
): SessionEnvironment {
  const imageCtx: ContainerContext = { containerWorkspaceFolder: workspace, containerEnv: imageEnv };
  const containerEnv = mapStrings(project.containerEnv, (s) => substituteContainer(s, imageCtx));
  const ctx: ContainerContext = { containerWorkspaceFolder: workspace, containerEnv: { ...imageEnv, ...containerEnv } };
  const resolve = <T>(value: T): T => mapStrings(value, (s) => substituteContainer(s, ctx));
  const remoteEnv = resolve(project.container.remoteEnv);
  const result: SessionEnvironment = { env: { ...containerEnv, ...remoteEnv }, remoteEnv };
  if (project.container.postCreateCommand !== undefined) result.postCreateCommand = resolve(project.container.postCreateCommand);
  if (project.container.postStartCommand !== undefined) result.postStartCommand = resolve(project.container.postStartCommand);
  return result;
}

const GIB = 2 ** 30;

/**
 * /dev/shm when runArgs say nothing: Docker's 64 MB breaks PyTorch's DataLoader workers, so 1 GiB,
 * and 8 GiB for GPU sessions (big batches through shared memory); never more than half the engine's
 * memory. It is a tmpfs: only what is written there uses memory.
 */
export function defaultShmBytes(gpu: boolean, engineMemoryBytes: number): number {
  const wanted = gpu ? 8 * GIB : GIB;
  if (!engineMemoryBytes) return wanted;
  return Math.max(64 * 2 ** 20, Math.min(wanted, Math.floor(engineMemoryBytes / 2)));
}
