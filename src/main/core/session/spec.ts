import type Docker from 'dockerode';
import type { ProjectInfo } from '../../../shared/contract/project';
import type { SessionMounts } from './adapters';
import { toLabels, type SessionLabels } from './labels';

export const JUPYTER_PORT = 8888;
export const NOTEBOOKS_IN_CONTAINER = '/home/analyst/work';
export const LOCKFILE_IN_CONTAINER = '/opt/benchtop/project.lock';
export const JUPYTER_COMMAND = '/usr/local/bin/benchtop-jupyter';

export interface SpecInput {
  id: string;
  /** `repository@sha256:…`: sessions always run the pinned digest, never a tag. */
  imageRef: string;
  project: ProjectInfo;
  mounts: SessionMounts;
  labels: SessionLabels;
  token: string;
  hostPort: number;
  /** GPU ids from the lease (`all` when no lease service keeps books). */
  gpus: string[];
  /** The engine's size, so limits never exceed what it has (the engine refuses those). */
  engineCpus: number;
  engineMemoryBytes: number;
}

/**
 * The one container that is a session. Jupyter is published on the target's 127.0.0.1 only, so the
 * token is the second lock, not the only one; the notebooks are a bind mount, so removing the
 * container never removes a notebook.
 */
export function containerSpec(input: SpecInput): Docker.ContainerCreateOptions {
  const { project, mounts } = input;
  const binds = [`${mounts.notebooksDir}:${NOTEBOOKS_IN_CONTAINER}`];
  if (mounts.lockfile) binds.push(`${mounts.lockfile}:${LOCKFILE_IN_CONTAINER}:ro`);
  const cpus = project.hostRequirements.cpus;
  const memory = project.hostRequirements.memoryBytes;
  const hostConfig: Docker.HostConfig = {
    Binds: binds,
    PortBindings: { [`${JUPYTER_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(input.hostPort) }] },
    // Limits follow the project's needs but never exceed the engine (it refuses more than it has).
    NanoCpus: cpus ? Math.round(Math.min(cpus, input.engineCpus || cpus) * 1e9) : undefined,
    Memory: memory ? Math.min(memory, input.engineMemoryBytes || memory) : undefined,
    Init: false, // the image runs tini itself
    RestartPolicy: { Name: 'no' },
  };
  if (input.gpus.length > 0) {
    hostConfig.DeviceRequests = [
      input.gpus.includes('all')
        ? { Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }
        : { Driver: 'nvidia', DeviceIDs: input.gpus, Capabilities: [['gpu']] },
    ];
  }
  const env = Object.entries(project.containerEnv).map(([k, v]) => `${k}=${v}`);
  env.push(`JUPYTER_TOKEN=${input.token}`, `JUPYTER_PORT=${JUPYTER_PORT}`);
  return {
    name: input.id,
    Image: input.imageRef,
    Cmd: [JUPYTER_COMMAND, ...project.jupyter.args],
    User: input.mounts.user,
    Env: env,
    Labels: toLabels(input.labels),
    ExposedPorts: { [`${JUPYTER_PORT}/tcp`]: {} },
    HostConfig: hostConfig,
  };
}
