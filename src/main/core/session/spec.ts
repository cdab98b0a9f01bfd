import type Docker from 'dockerode';
import type { ProjectInfo } from '../../../shared/contract/project';
import type { JupyterStart } from '../project/jupyter-image';
import { defaultShmBytes, sessionEnvironment, type SessionEnvironment } from '../project/session-env';
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
  /** The binding's HostPort on the target's 127.0.0.1: a port, or a range `first-last` the engine picks from. */
  hostPort: string;
  /**
   * forwardPorts already published on the target's 127.0.0.1 by another container (another
   * session of a project forwarding the same port): these get a port the engine picks instead of
   * failing the whole start, as VS Code picks another local port for a taken one.
   */
  forwardPortsTaken?: ReadonlySet<number>;
  /** GPU ids from the lease (`all` when no lease service keeps books). */
  gpus: string[];
  /** The engine's size, so limits never exceed what it has (the engine refuses those). */
  engineCpus: number;
  engineMemoryBytes: number;
  /** How Jupyter starts in this image (Benchtop's, docker-stacks, any other with Jupyter); default Benchtop's. */
  start?: JupyterStart;
  /** containerEnv and remoteEnv with `${containerEnv:…}`, `${containerWorkspaceFolder}` resolved; default as written. */
  environment?: SessionEnvironment;
}

/**
 * The one container that is a session. Jupyter is published on the target's 127.0.0.1 only, so the
 * token is the second lock, not the only one; the notebooks are a bind mount, so removing the
 * container never removes a notebook.
 */
export function containerSpec(input: SpecInput): Docker.ContainerCreateOptions {
  const { project, mounts } = input;
  const start = input.start ?? { kind: 'benchtop', cmd: [JUPYTER_COMMAND, ...project.jupyter.args], workspace: NOTEBOOKS_IN_CONTAINER };
  const environment = input.environment ?? sessionEnvironment(project, {}, start.workspace);
  const binds = [`${mounts.notebooksDir}:${start.workspace}`];
  if (mounts.lockfile) binds.push(`${mounts.lockfile}:${LOCKFILE_IN_CONTAINER}:ro`);
  // hostRequirements are minimums for the machine check; caps come only from customizations.benchtop.limits.
  const { cpus, memoryBytes: memory } = project.container.limits;
  const ports: Record<string, { HostIp: string; HostPort: string }[]> = { [`${JUPYTER_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: input.hostPort }] };
  // forwardPorts: the same port number on the target's 127.0.0.1, as the Dev Containers tools forward them.
  for (const port of project.forwardPorts) {
    if (port !== JUPYTER_PORT) ports[`${port}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: input.forwardPortsTaken?.has(port) ? '' : String(port) }];
  }
  const hostConfig: Docker.HostConfig = {
    Binds: binds,
    Mounts: project.container.mounts.map((m) => ({ Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly ?? false })),
    PortBindings: ports,
    // Explicit limits never exceed the engine (it refuses more than it has).
    NanoCpus: cpus ? Math.round(Math.min(cpus, input.engineCpus || cpus) * 1e9) : undefined,
    Memory: memory ? Math.min(memory, input.engineMemoryBytes || memory) : undefined,
    ShmSize: project.container.shmSizeBytes ?? defaultShmBytes(input.gpus.length > 0, input.engineMemoryBytes),
    Init: false, // the image runs tini itself
    RestartPolicy: { Name: 'no' },
  };
  if (start.groupAdd) hostConfig.GroupAdd = start.groupAdd;
  if (input.gpus.length > 0) {
    hostConfig.DeviceRequests = [
      input.gpus.includes('all')
        ? { Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }
        : { Driver: 'nvidia', DeviceIDs: input.gpus, Capabilities: [['gpu']] },
    ];
  }
  const env = Object.entries(environment.env).map(([k, v]) => `${k}=${v}`);
  env.push(`JUPYTER_TOKEN=${input.token}`, `JUPYTER_PORT=${JUPYTER_PORT}`);
  const spec: Docker.ContainerCreateOptions = {
    name: input.id,
    Image: input.imageRef,
    Cmd: start.cmd,
    User: input.mounts.user,
    Env: env,
    Labels: toLabels(input.labels),
    ExposedPorts: Object.fromEntries(Object.keys(ports).map((p) => [p, {}])),
    HostConfig: hostConfig,
  };
  if (start.entrypoint) spec.Entrypoint = start.entrypoint;
  return spec;
}
