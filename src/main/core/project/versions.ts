import type { ImageVersion, ImageVersionList, LocalImage } from '../../../shared/contract/images';
import type { LockfileUpdate } from '../../../shared/contract/project';
import type { EngineService } from '../engine/service';
import { LOCAL } from '../engine/service';
import { BenchtopError } from '../errors';
import { formatImageRef, isSha256Digest, parseImageRef, type ImageRef } from '../registry/image-ref';
import type { RegistryService } from '../registry/service';
import { compareVersions, isChannelTag } from '../registry/version-order';
import type { ProjectService } from './service';
import { writtenRepository } from './service';

export interface ImageVersionServiceDeps {
  projects: ProjectService;
  registry: RegistryService;
  engines: EngineService;
  /** The lockfile comes with the pin: written from the newly pinned image (core.lockfiles). */
  lockfiles?: { updateFromImage(dir: string, image?: string): Promise<LockfileUpdate> };
}

export interface PinResult {
  image: string;
  digest: string;
  version?: string;
  lockfile?: LockfileUpdate;
}

/** Tags resolved at once: enough to hide latency, few enough not to hammer a registry. */
const CONCURRENCY = 4;
const VERSION_LABEL = 'org.opencontainers.image.version';
/** How many tags `versions` describes, newest first by version order. */
export const MAX_VERSIONS = 100;

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function newestFirst(a: ImageVersion, b: ImageVersion): number {
  if (a.created && b.created && a.created !== b.created) return a.created < b.created ? 1 : -1;
  return compareVersions(b.tag, a.tag);
}

/**
 * The versions of a project's image and its pin: lists tags with digest, date, version label and
 * flags (pinned, newer, present locally), pins a version by digest and unpins back to the tag.
 */
export class ImageVersionService {
  readonly #deps: ImageVersionServiceDeps;

  constructor(deps: ImageVersionServiceDeps) {
    this.#deps = deps;
  }

  async versions(dir: string): Promise<ImageVersionList> {
    const project = await this.#deps.projects.read(dir);
    const ref = this.#imageOf(project.image, project.devcontainerPath);
    const [tags, localDigests] = await Promise.all([this.#deps.registry.listTags(ref), this.#localDigests(ref)]);
    const pinned = project.pinned;
    // Repositories with years of nightly tags: show the newest ones (and the pinned one).
    const shown = [...tags].sort((a, b) => compareVersions(b, a)).slice(0, MAX_VERSIONS);
    if (pinned?.version && tags.includes(pinned.version) && !shown.includes(pinned.version)) shown.push(pinned.version);
    // Digests by HEAD (free on Docker Hub's rate limit); manifest and config once per distinct
    // digest, since many tags usually share a few images.
    const digests = await mapLimited(shown, CONCURRENCY, (tag) => this.#deps.registry.digestOf({ ...ref, tag, digest: undefined }));
    const unique = [...new Set(digests)];
    const details = new Map(await mapLimited(unique, CONCURRENCY, async (digest) => [digest, await this.#details(ref, digest)] as const));
    const versions = shown.map((tag, i): ImageVersion => {
      const digest = digests[i];
      const version: ImageVersion = { tag, digest, pinned: pinned?.digest === digest, newer: false, local: localDigests.has(digest) };
      const detail = details.get(digest);
      if (detail?.sizeBytes !== undefined) version.sizeBytes = detail.sizeBytes;
      if (detail?.created) version.created = detail.created;
      if (detail?.version) version.version = detail.version;
      return version;
    });
    const pinnedEntry = pinned ? versions.find((v) => v.digest === pinned.digest && (!pinned.version || v.tag === pinned.version)) ?? versions.find((v) => v.digest === pinned.digest) : undefined;
    for (const v of versions) {
      if (!pinned || v.digest === pinned.digest || isChannelTag(v.tag)) continue;
      if (pinnedEntry) v.newer = pinnedEntry.created && v.created ? v.created > pinnedEntry.created : compareVersions(v.tag, pinnedEntry.tag) > 0;
      // The pinned digest lost its tag (moved or deleted): compare by the version it was pinned as.
      else if (pinned.version) v.newer = compareVersions(v.tag, pinned.version) > 0;
    }
    const list: ImageVersionList = { repository: writtenRepository(project.image), versions: versions.sort(newestFirst) };
    if (pinned) {
      list.pinnedDigest = pinned.digest;
      const fromTag = pinned.version ? versions.find((v) => v.tag === pinned.version) : undefined;
      if (fromTag && fromTag.digest !== pinned.digest) {
        list.tagMoved = { tag: fromTag.tag, pinnedDigest: pinned.digest, currentDigest: fromTag.digest };
      }
    }
    return list;
  }

  /** Pins `version` (a tag, or a sha256 digest; the newest release tag when omitted) by its current digest. */
  async pin(dir: string, version?: string): Promise<PinResult> {
    const { configPath, ...pin } = await this.resolvePin(dir, version);
    await this.#deps.projects.writeImage(configPath, pin.image, pin.version);
    return this.#withLockfile(configPath, pin);
  }

  /**
   * What `pin` would write, without writing it: the image by digest, the version (tag) it is pinned
   * as, and the devcontainer.json it goes to. A digest itself is checked to exist on the registry.
   */
  async resolvePin(dir: string, version?: string): Promise<PinResult & { configPath: string }> {
    const project = await this.#deps.projects.read(dir);
    const ref = this.#imageOf(project.image, project.devcontainerPath);
    if (version && isSha256Digest(version)) {
      // Pinning a digest itself (e.g. copied from a build log): check the registry has it.
      const digest = await this.#deps.registry.digestOf({ ...ref, tag: undefined, digest: version });
      return { image: `${writtenRepository(project.image)}@${digest}`, digest, configPath: project.devcontainerPath };
    }
    const tag = version ?? (await this.#newestTag(ref));
    const digest = await this.#deps.registry.digestOf({ ...ref, tag, digest: undefined });
    return { image: `${writtenRepository(project.image)}@${digest}`, digest, version: tag, configPath: project.devcontainerPath };
  }

  async #withLockfile(configPath: string, pin: PinResult): Promise<PinResult> {
    if (!this.#deps.lockfiles) return pin;
    return { ...pin, lockfile: await this.#deps.lockfiles.updateFromImage(configPath, pin.image) };
  }

  /** Goes back from `repo@sha256:…` to `repo:<version>` (the version comment, or the tag that has the digest). */
  async unpin(dir: string): Promise<{ image: string }> {
    const project = await this.#deps.projects.read(dir);
    const ref = this.#imageOf(project.image, project.devcontainerPath);
    if (!project.pinned) return { image: project.image };
    let version = project.pinned.version;
    if (!version) {
      const tags = await this.#deps.registry.listTags(ref);
      const digests = await mapLimited(tags, CONCURRENCY, (tag) => this.#deps.registry.digestOf({ ...ref, tag, digest: undefined }));
      version = tags.filter((_, i) => digests[i] === project.pinned?.digest).sort((a, b) => compareVersions(b, a))[0];
      if (!version) {
        throw new BenchtopError('TAG_NOT_FOUND', `No tag of ${ref.familiarName} points at the pinned ${project.pinned.digest}, and devcontainer.json has no version comment.`,
          'Pin a version by name instead: `benchtop pin <version>`.');
      }
    }
    const image = `${writtenRepository(project.image)}:${version}`;
    await this.#deps.projects.writeImage(project.devcontainerPath, image, undefined);
    return { image };
  }

  async localList(target = LOCAL): Promise<LocalImage[]> {
    const images = await this.#deps.engines.call(target, 'image list', (d) => d.listImages());
    return images.map((i) => ({
      id: i.Id,
      repoTags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      repoDigests: (i.RepoDigests ?? []).filter((d) => !d.startsWith('<none>@')),
      sizeBytes: i.Size,
      created: new Date(i.Created * 1000).toISOString(),
    }));
  }

  /** Removes a local image by reference or id; the engine refuses while a container uses it. */
  async removeLocal(ref: string, target = LOCAL): Promise<{ removed: string[] }> {
    if (!ref.trim()) throw new BenchtopError('INVALID_ARGUMENT', 'Say which image to remove.');
    let result: { Untagged?: string; Deleted?: string }[] | undefined;
    try {
      result = (await this.#deps.engines.call(target, 'image remove', (d) => d.getImage(ref).remove())) as typeof result;
    } catch (error) {
      if (error instanceof BenchtopError && error.code === 'NOT_FOUND') {
        throw new BenchtopError('IMAGE_NOT_FOUND', `There is no image ${ref} on ${target === LOCAL ? 'this computer' : target}.`, 'See the images there with the Images page (imageLocalList).');
      }
      if ((error as { cause?: { statusCode?: number } }).cause?.statusCode === 409) {
        throw new BenchtopError('ENGINE_ERROR', `${ref} is in use and was not removed: ${(error as Error).message}`, 'Stop and remove the sessions that use it first, then remove the image.');
      }
      throw error;
    }
    return { removed: (result ?? []).map((r) => r.Untagged ?? r.Deleted ?? '').filter(Boolean) };
  }

  /** Size, date and version label of one image, or nothing where only other platforms were built. */
  async #details(ref: ImageRef, digest: string): Promise<{ sizeBytes?: number; created?: string; version?: string }> {
    try {
      const resolved = await this.#deps.registry.resolve({ ...ref, tag: undefined, digest });
      return { sizeBytes: resolved.sizeBytes, created: resolved.config.created, version: resolved.config.labels[VERSION_LABEL] };
    } catch (error) {
      // An amd64-only GPU image seen from an arm64 laptop is still a version: list its digest.
      if (error instanceof BenchtopError && error.code === 'IMAGE_PLATFORM_MISSING') return {};
      throw error;
    }
  }

  #imageOf(image: string, devcontainerPath: string): ImageRef {
    if (!image) {
      throw new BenchtopError('IMAGE_NOT_PINNED', `${devcontainerPath} names no "image".`,
        'Add "image": "<registry>/<repository>:<version>" (Benchtop runs prebuilt images), then `benchtop pin`.');
    }
    return parseImageRef(image);
  }

  async #newestTag(ref: ImageRef): Promise<string> {
    const tags = await this.#deps.registry.listTags(ref);
    const releases = tags.filter((t) => !isChannelTag(t)).sort((a, b) => compareVersions(b, a));
    const newest = releases[0] ?? tags.find(isChannelTag);
    if (!newest) {
      throw new BenchtopError('TAG_NOT_FOUND', `${formatImageRef({ ...ref, tag: undefined, digest: undefined })} has no tags on ${ref.registry}.`,
        'Publish a version first (images/publish.sh <version>).');
    }
    return newest;
  }

  async #localDigests(ref: ImageRef): Promise<Set<string>> {
    try {
      const images = await this.localList();
      const names = new Set([ref.name, ref.familiarName, formatImageRef({ ...ref, tag: undefined, digest: undefined })]);
      const digests = new Set<string>();
      for (const image of images) {
        for (const repoDigest of image.repoDigests) {
          const at = repoDigest.indexOf('@');
          if (names.has(repoDigest.slice(0, at)) || names.has(parseSafe(repoDigest.slice(0, at)))) digests.add(repoDigest.slice(at + 1));
        }
      }
      return digests;
    } catch {
      // No engine here: versions still list; none counts as local.
      return new Set();
    }
  }
}

function parseSafe(name: string): string {
  try {
    return parseImageRef(name).name;
  } catch {
    return name;
  }
}
