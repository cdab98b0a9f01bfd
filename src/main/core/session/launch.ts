import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { ProjectInfo } from '../../../shared/contract/project';
import { engineMessage } from '../engine/errors';
import type { EngineService } from '../engine/service';
import { BenchtopError } from '../errors';
import type { Owner } from '../identity/owner';
import { defaultHolder } from '../gpu/service';
import { imageFactsOf, jupyterStart } from '../project/jupyter-image';
import { runSessionLifecycle } from '../project/lifecycle';
import { sessionEnvironment, type SessionEnvironment } from '../project/session-env';
import type { PullResult } from '../pull/service';
import type { SettingsStore } from '../settings/store';
import { BENCHTOP_VERSION } from '../version';
import type { GpuLeaser, WorkspaceResolver } from './adapters';
import { hostPortRequest, PORT_BIND_ERROR, PORT_RANGE_FULL, portInUse, portRangeFull } from './ports';
import { containerSpec, JUPYTER_PORT } from './spec';
import type { Logger } from '../log/logger';
import type { Operation } from '../operation';

/** What launching needs; `gpus` and `workspace` are read when called, since other services replace them. */
export interface LaunchContext {
  engines: EngineService;
  settings: SettingsStore;
  gpus: GpuLeaser;
  workspace: WorkspaceResolver;
  /** Recorded on the container (OWNER_LABEL): whose session it is. */
  owner: Owner;
  /** Waiting in a host's GPU queue under this operation (cancelling it leaves the queue; positions are its `gpu-queue` steps). */
  gpuWait?: Operation;
  /** Where postCreateCommand / postStartCommand output goes, line by line, as it comes. */
  onOutput?: (line: string) => void;
  /** Where a failed clean-up after a failed start is logged (the start's own error is what is thrown). */
  log?: Logger;
  /** The start this launch belongs to: preparing the workspace (a sync to a host) is a child step of it. */
  op?: Operation;
}

export interface LaunchRequest {
  target: string;
  id: string;
  /** `repository@sha256:…`. */
  imageRef: string;
  project: ProjectInfo;
  pulled: PullResult;
}

const ENGINE_WRITE_TIMEOUT_MS = 30_000;

/**
 * Creates and starts a session's container: GPUs leased, a fresh token, and the port left to the
 * engine (ports.ts: it hands ports of the sessionPorts range out one at a time, so concurrent starts
 * never collide); a port the project asks for is that port or an error.
 */
export async function launchSession(ctx: LaunchContext, req: LaunchRequest): Promise<void> {
  const { container, environment, workdir, user } = await create(ctx, req);
  await start(ctx, req, container);
  try {
    // devcontainer.json's postCreateCommand (a new container each start) then postStartCommand.
    await runSessionLifecycle({ engines: ctx.engines, target: req.target, containerId: container.id, env: environment.remoteEnv, user, workdir, onOutput: ctx.onOutput }, environment);
  } catch (error) {
    // Stopped, not removed: `benchtop logs` still shows the session's side of what went wrong.
    await container.stop({ t: 2 }).catch((e: unknown) => ctx.log?.ignored(`stop ${req.id} after its lifecycle command failed`, e));
    await ctx.gpus.release(req.id, req.target).catch((e: unknown) => ctx.log?.ignored(`free the GPUs of ${req.id}`, e));
    throw error;
  }
}

interface Created {
  container: Docker.Container;
  environment: SessionEnvironment;
  workdir: string;
  user?: string;
}

async function create(ctx: LaunchContext, req: LaunchRequest): Promise<Created> {
  const { target, id, imageRef, project, pulled } = req;
  const holder = defaultHolder();
  let gpus: string[] = [];
  try {
    // The image inspect waits as long as the writes do: while a host's engine is busy starting several
    // sessions at once (their syncs included) it answers slower than the default read deadline.
    const [mounts, info, image, published] = await Promise.all([ctx.workspace.mounts(target, project, ctx.op), ctx.engines.info(target),
      ctx.engines.call(target, 'image inspect', (d) => d.getImage(imageRef).inspect(), ENGINE_WRITE_TIMEOUT_MS),
      project.forwardPorts.length ? publishedLoopbackPorts(ctx, target) : Promise.resolve(new Set<number>())]);
    // Cards are claimed only now, right before the container that uses them is created: not
    // before the notebooks' sync (minutes, on a big project), which would hold them idle meanwhile.
    gpus = await claimGpus(ctx, req);
    // Benchtop's image, a docker-stacks image or any image with Jupyter: each starts its own way.
    const jupyter = jupyterStart(imageFactsOf(image), { port: JUPYTER_PORT, args: project.jupyter.args, user: mounts.user, projectDir: project.dir });
    const environment = sessionEnvironment(project, imageFactsOf(image).env, jupyter.workspace);
    const port = await hostPortRequest({ target, wanted: project.jupyter.port, range: ctx.settings.get('sessionPorts') });
    const spec = containerSpec({
      id, imageRef, project, mounts, token: randomBytes(24).toString('hex'), hostPort: port.binding, gpus, forwardPortsTaken: published,
      engineCpus: info.cpus, engineMemoryBytes: info.memoryBytes, start: jupyter, environment,
      labels: {
        projectDir: project.dir, projectName: project.name, user: holder, image: project.pinned?.repository ?? '',
        digest: project.pinned?.digest ?? pulled.digest, version: project.pinned?.version ?? pulled.labels['org.opencontainers.image.version'],
        appVersion: BENCHTOP_VERSION, target, gpus, idleMinutes: project.idleMinutes, port: port.fixed ?? 0, owner: ctx.owner,
      },
    });
    const container = await ctx.engines.call(target, 'create session', (d) => d.createContainer(spec), ENGINE_WRITE_TIMEOUT_MS).catch((error: unknown) => {
      if (/Conflict|already in use/i.test(engineMessage((error as BenchtopError).cause ?? error))) {
        throw new BenchtopError('SESSION_EXISTS', `A session named ${id} is being created by someone else right now.`, 'Wait a moment and run `benchtop ps`.');
      }
      throw error;
    });
    return { container, environment, workdir: jupyter.workspace, user: mounts.user };
  } catch (error) {
    await ctx.gpus.release(id, target).catch((e: unknown) => ctx.log?.ignored(`free the GPUs of ${id}, which was not created`, e));
    throw error;
  }
}

/** Host ports other containers on the target already publish on 127.0.0.1 (running ones hold them). */
async function publishedLoopbackPorts(ctx: LaunchContext, target: string): Promise<Set<number>> {
  const containers = await ctx.engines.call(target, 'list published ports', (d) => d.listContainers());
  return new Set(containers.flatMap((c) => c.Ports.filter((p) => p.IP === '127.0.0.1' && p.PublicPort).map((p) => p.PublicPort)));
}

/** The project's GPUs: `true` waits in the host's queue when every card is taken; `optional` takes one if free. */
async function claimGpus(ctx: LaunchContext, req: LaunchRequest): Promise<string[]> {
  // Best effort: without the host's agent the session still starts; the agent logs why it did not.
  await ctx.gpus.prepare?.(req.target, req.imageRef);
  const want = { count: 1, idleMinutes: req.project.idleMinutes };
  if (req.project.hostRequirements.gpu === true) return ctx.gpus.claim(req.target, want, req.id, req.imageRef, ctx.gpuWait);
  // "optional": a GPU when one is free, else run on CPU rather than not at all (GPU_BUSY, no GPU here).
  if (req.project.hostRequirements.gpu === 'optional') return ctx.gpus.claim(req.target, want, req.id, req.imageRef).catch(() => []);
  return [];
}

/** Port attempts of one start: the engine's range pointer moves past a port something else held. */
const START_ATTEMPTS = 10;

async function start(ctx: LaunchContext, req: LaunchRequest, container: Docker.Container): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await ctx.engines.call(req.target, 'start session', () => container.start(), ENGINE_WRITE_TIMEOUT_MS);
      return;
    } catch (error) {
      const reason = engineMessage((error as BenchtopError).cause ?? error);
      // A port of the range held by something outside the engine (another Jupyter, a dev server):
      // starting again makes the engine offer the next one.
      if (PORT_BIND_ERROR.test(reason) && !req.project.jupyter.port && attempt < START_ATTEMPTS) continue;
      // A container that never started holds nothing worth keeping; the port or GPU error says why.
      await container.remove({ force: true }).catch((e: unknown) => ctx.log?.ignored(`remove ${req.id}, which never started`, e));
      await ctx.gpus.release(req.id, req.target).catch((e: unknown) => ctx.log?.ignored(`free the GPUs of ${req.id}`, e));
      if (PORT_RANGE_FULL.test(reason)) throw portRangeFull(ctx.settings.get('sessionPorts'), `the engine says: ${reason}`);
      if (PORT_BIND_ERROR.test(reason)) {
        const port = Number(/127\.0\.0\.1:(\d+)/.exec(reason)?.[1]) || req.project.jupyter.port || 0;
        throw portInUse(port, `the engine says: ${reason}`);
      }
      throw error;
    }
  }
}
