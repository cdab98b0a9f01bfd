import type Docker from 'dockerode';
import type { PullProgress } from '../../../shared/contract/sessions';
import type { Clock } from '../clock';
import type { EngineService } from '../engine/service';
import { LOCAL } from '../engine/service';
import { engineMessage } from '../engine/errors';
import { BenchtopError } from '../errors';
import type { Operation } from '../operation';
import { assertRoomForPull, freeBytesAt } from './disk';
import { followPull, pullFailure } from './follow';
import { PullProgressTracker, throttle } from './progress';
import { formatRef, splitRef, type PullRef } from './ref';

/** What a pull needs from the registry side: a login for the host, and the image's size when known. */
export interface PullRegistry {
  credentialsFor(registryHost: string): Promise<PullAuth | undefined>;
  imageSize?(ref: string): Promise<number | undefined>;
  /** Total and per-layer sizes (by short layer id), so progress knows its total from the start. */
  pullPlan?(ref: string): Promise<{ sizeBytes: number; layerSizes: Record<string, number> }>;
}

/** Docker's authconfig, sent as the X-Registry-Auth header. */
export interface PullAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress?: string;
}

export interface PullResult {
  digest: string;
  skipped: boolean;
  /** The local image's labels (lockfile sha, version…), for the checks that follow a pull. */
  labels: Record<string, string>;
}

interface ImageInspect {
  Id: string;
  RepoDigests?: string[];
  Config?: { Labels?: Record<string, string> | null };
}

/** About five progress lines a second: smooth in the UI, cheap over IPC. */
const PROGRESS_INTERVAL_MS = 200;
/** A pull runs as long as the bytes keep coming; the engine timeout applies to the request only. */
const PULL_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Pulls images by digest through the target's engine, with aggregated progress events, cancel,
 * an early disk-space check and a digest check afterwards. Target-agnostic: `local` or a host id.
 */
export class PullService {
  constructor(
    private readonly engines: EngineService,
    private readonly clock: Clock,
    public registry: PullRegistry,
  ) {}

  /** The local copy of an image, or undefined when the engine has none. */
  async inspect(target: string, ref: string): Promise<ImageInspect | undefined> {
    try {
      return (await this.engines.call(target, 'image inspect', (d) => d.getImage(ref).inspect())) as ImageInspect;
    } catch (error) {
      if (error instanceof BenchtopError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  /**
   * Pulls `ref` on `target` unless the engine already holds it; verifies the digest when one is pinned.
   * Progress goes out as `pullProgress` events of `op`; its signal cancels the pull.
   */
  async pull(target: string, rawRef: string, op: Operation): Promise<PullResult> {
    const { id: opId, signal } = op;
    const ref = splitRef(rawRef);
    const name = formatRef(ref);
    const present = ref.digest ? await this.inspect(target, name) : undefined;
    if (present && hasDigest(present, ref)) {
      op.progress('pullProgress', new PullProgressTracker(opId, name).snapshot(this.clock.now(), 'done'));
      return { digest: ref.digest as string, skipped: true, labels: present.Config?.Labels ?? {} };
    }
    // One registry lookup: a registry with a pull plan would answer imageSize from the same manifest.
    // A registry that cannot say the size only costs the disk-room check; the pull itself then reports
    // the registry's real error.
    const plan = await this.registry.pullPlan?.(name).catch((e: unknown) => op.log.ignored(`ask the registry for the size of ${name} (only the disk-room check needs it)`, e));
    const sizeHint = this.registry.pullPlan ? plan?.sizeBytes
      : await this.registry.imageSize?.(name).catch((e: unknown) => op.log.ignored(`ask the registry for the size of ${name} (only the disk-room check needs it)`, e));
    await this.#assertDiskRoom(target, name, sizeHint);
    const auth = authConfig(await this.registry.credentialsFor(ref.registry));
    const tracker = new PullProgressTracker(opId, name, sizeHint ?? 0, plan?.layerSizes);
    const emit = throttle<PullProgress>(PROGRESS_INTERVAL_MS, () => this.clock.now(), (p) => op.progress('pullProgress', p), (p) => p.phase);
    emit.push(tracker.snapshot(this.clock.now()));

    const docker = await this.engines.docker(target);
    const stream = await this.#open(target, docker, ref, auth, signal);
    await followPull(docker.modem, stream, (event) => {
      tracker.update(event, this.clock.now());
      emit.push(tracker.snapshot(this.clock.now()));
    }, signal);
    tracker.finish(this.clock.now());
    emit.flush();
    op.progress('pullProgress', tracker.snapshot(this.clock.now(), 'verifying'));

    const pulled = await this.inspect(target, name);
    if (!pulled) {
      throw new BenchtopError('PULL_FAILED', `The engine reported the pull of ${name} as finished but does not have the image.`, 'Try again; if it persists, restart the engine.');
    }
    if (ref.digest && !hasDigest(pulled, ref)) {
      throw new BenchtopError('DIGEST_MISMATCH',
        `The image pulled for ${name} has digests ${(pulled.RepoDigests ?? []).join(', ') || 'none'}, not the pinned ${ref.digest}.`,
        'Do not use this image; check the registry (or a proxy in between) and pin the version again.');
    }
    op.progress('pullProgress', tracker.snapshot(this.clock.now(), 'done'));
    return { digest: ref.digest ?? firstDigest(pulled, ref) ?? pulled.Id, skipped: false, labels: pulled.Config?.Labels ?? {} };
  }

  async #open(target: string, docker: Docker, ref: PullRef, auth: PullAuth | undefined, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    const options = { fromImage: ref.repository, tag: ref.digest ?? ref.tag, abortSignal: signal };
    try {
      return await this.engines.call(target, 'pull', () =>
        (auth ? docker.createImage(auth, options) : docker.createImage(options)), PULL_REQUEST_TIMEOUT_MS);
    } catch (error) {
      if (signal?.aborted) throw new BenchtopError('CANCELLED', 'The pull was cancelled.', '');
      // The daemon refuses unknown manifests and bad logins before streaming: same words, same codes.
      if (error instanceof BenchtopError && (error.code === 'NOT_FOUND' || error.code === 'ENGINE_ERROR')) {
        throw pullFailure(engineMessage(error.cause ?? error));
      }
      throw error;
    }
  }

  async #assertDiskRoom(target: string, name: string, size: number | undefined): Promise<void> {
    if (!size) return;
    const info = await this.engines.info(target);
    // Only a local unix-socket engine keeps its data on a filesystem this process can see.
    const free = target === LOCAL && info.endpoint.kind === 'unix' ? await freeBytesAt(info.dockerRootDir) : undefined;
    assertRoomForPull(name, size, free, `${info.dockerRootDir} (the engine's data folder)`);
  }
}

function hasDigest(image: ImageInspect, ref: PullRef): boolean {
  return (image.RepoDigests ?? []).includes(`${ref.repository}@${ref.digest}`);
}

function firstDigest(image: ImageInspect, ref: PullRef): string | undefined {
  const match = (image.RepoDigests ?? []).find((d) => d.startsWith(`${ref.repository}@`));
  return match?.slice(match.indexOf('@') + 1);
}

/** Only the fields the daemon reads: anything else (where a login came from) stays on this side. */
function authConfig(auth: PullAuth | undefined): PullAuth | undefined {
  if (!auth) return undefined;
  const { username, password, identitytoken, serveraddress } = auth;
  return { username, password, identitytoken, serveraddress };
}
