import { createHash } from 'node:crypto';
import type { Logger } from '../log/logger';
import { BenchtopError } from '../errors';
import type { SecretBox } from '../secrets';
import type { RegistryCredential } from '../settings/schema';
import { credentialsFor, type ResolvedCredentials } from './credentials';
import { checkRegistryLogin, type LoginCheck, type LoginToCheck } from './login-check';
import { formatImageRef, isSha256Digest, parseImageRef, type ImageRef } from './image-ref';
import {
  hostPlatform, indexPlatforms, isIndex, MANIFEST_ACCEPT, pickPlatform, platformName,
  type AnyManifest, type ImageManifest, type Platform,
} from './manifest';
import { RegistryTransport } from './transport';

export interface RegistryServiceDeps {
  storedCredentials: () => RegistryCredential[];
  secrets: SecretBox;
  env: NodeJS.ProcessEnv;
  /** Registries to reach over plain http besides loopback ones (also $BENCHTOP_INSECURE_REGISTRIES). */
  insecureRegistries?: () => string[];
  timeoutMs?: number;
  log?: Logger;
}

/** What the config blob says about an image. */
export interface ImageConfigInfo {
  labels: Record<string, string>;
  created?: string;
  platform: Platform;
}

/** One tag or digest resolved on the registry. */
export interface ResolvedImage {
  /** The digest the reference points at (an index's digest for multi-platform images): what a pin holds. */
  digest: string;
  /** The digest of the manifest for the chosen platform (equal to `digest` for single-platform images). */
  manifestDigest: string;
  platforms: Platform[];
  /** Compressed size of the chosen platform: layers plus config. */
  sizeBytes: number;
  /** The chosen platform's layers, in order, with their compressed sizes. */
  layers: { digest: string; size: number }[];
  config: ImageConfigInfo;
}

interface FetchedManifest {
  digest: string;
  manifest: AnyManifest;
}

const PAGE_SIZE = 100;
/** Registries send relative `Link: </v2/…?last=x&n=100>; rel="next"` headers. */
const NEXT_LINK = /<([^>]+)>\s*;\s*rel="?next"?/i;

async function registryErrorCode(response: Response): Promise<{ code?: string; message?: string }> {
  try {
    const body = (await response.json()) as { errors?: { code?: string; message?: string }[] };
    return body.errors?.[0] ?? {};
  } catch {
    return {};
  }
}

/**
 * The OCI distribution (v2) client: tags, tag → digest, config labels, sizes, platforms, and the
 * logins used for them (`credentialsFor`, which pulls reuse). Manifests and configs fetched by digest
 * are immutable and kept in memory, so listing many tags of one image costs one config read.
 */
export class RegistryService {
  readonly #deps: RegistryServiceDeps;
  readonly #transport: RegistryTransport;
  readonly #byDigest = new Map<string, Promise<FetchedManifest>>();
  readonly #configs = new Map<string, Promise<ImageConfigInfo>>();

  constructor(deps: RegistryServiceDeps) {
    this.#deps = deps;
    this.#transport = new RegistryTransport({
      credentialsFor: (host) => this.#credentials(host),
      insecureRegistries: () => this.#insecureRegistries(),
      timeoutMs: deps.timeoutMs,
      env: deps.env,
    });
  }

  #insecureRegistries(): string[] {
    return [
      ...(this.#deps.insecureRegistries?.() ?? []),
      ...(this.#deps.env.BENCHTOP_INSECURE_REGISTRIES ?? '').split(',').map((h) => h.trim()).filter(Boolean),
    ];
  }

  /** Signs in with a login that is not saved yet, as `docker login` does (before Settings keeps it). */
  checkLogin(login: LoginToCheck, signal?: AbortSignal): Promise<LoginCheck> {
    return checkRegistryLogin({ insecureRegistries: () => this.#insecureRegistries(), timeoutMs: this.#deps.timeoutMs, env: this.#deps.env }, login, signal);
  }

  /** The login for a registry host in Docker's authconfig shape (for dockerode pulls); undefined: anonymous. */
  async credentialsFor(registryHost: string): Promise<ResolvedCredentials | undefined> {
    return this.#credentials(registryHost);
  }

  /** Every tag of the image's repository, following `Link` pagination. */
  async listTags(image: string | ImageRef, signal?: AbortSignal): Promise<string[]> {
    const ref = typeof image === 'string' ? parseImageRef(image) : image;
    const tags: string[] = [];
    let path: string | undefined = `/v2/${ref.repository}/tags/list?n=${PAGE_SIZE}`;
    const seen = new Set<string>();
    while (path && !seen.has(path)) {
      seen.add(path);
      const response = await this.#transport.request(ref.registry, ref.repository, path, { what: `the tags of ${ref.familiarName}`, signal });
      if (!response.ok) throw await this.#failure(response, ref, undefined);
      const body = (await response.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const next = NEXT_LINK.exec(response.headers.get('link') ?? '')?.[1];
      path = next ? (next.startsWith('http') ? next : next.startsWith('/') ? next : `/${next}`) : undefined;
    }
    return [...new Set(tags)];
  }

  /** Resolves a tag or digest to its digest, platform manifest, size and config labels. */
  async resolve(image: string | ImageRef, options: { platform?: Platform; signal?: AbortSignal } = {}): Promise<ResolvedImage> {
    const ref = typeof image === 'string' ? parseImageRef(image) : image;
    const reference = ref.digest ?? ref.tag ?? 'latest';
    const top = await this.#manifest(ref, reference, options.signal);
    const want = options.platform ?? hostPlatform();
    let manifest: ImageManifest;
    let manifestDigest = top.digest;
    let platforms: Platform[] = [];
    if (isIndex(top.manifest)) {
      platforms = indexPlatforms(top.manifest);
      const chosen = pickPlatform(top.manifest, want);
      if (!chosen) {
        throw new BenchtopError('IMAGE_PLATFORM_MISSING',
          `${formatImageRef({ ...ref, tag: ref.digest ? undefined : reference })} has no ${platformName(want)} variant (it has ${platforms.map(platformName).join(', ') || 'none'}).`,
          'Ask whoever publishes the image to build it for this platform, or run the session on a host that has one of those.');
      }
      const inner = await this.#manifest(ref, chosen.digest, options.signal);
      if (isIndex(inner.manifest)) throw new BenchtopError('REGISTRY_ERROR', `${ref.familiarName}: an index points at another index (${chosen.digest}).`, 'Tell whoever publishes the image.');
      manifest = inner.manifest;
      manifestDigest = inner.digest;
    } else {
      manifest = top.manifest;
    }
    const config = await this.#config(ref, manifest.config.digest, options.signal);
    if (platforms.length === 0) platforms = [config.platform];
    const sizeBytes = manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
    const layers = manifest.layers.map(({ digest, size }) => ({ digest, size }));
    return { digest: top.digest, manifestDigest, platforms, sizeBytes, layers, config };
  }

  /** Compressed size of an image for this machine's platform; undefined when the registry cannot say. */
  async imageSize(image: string): Promise<number | undefined> {
    return (await this.resolve(image)).sizeBytes;
  }

  /**
   * What a pull will fetch: the total, and each layer's size keyed by the short id (first 12 hex of
   * the digest) that the engine's pull events name layers by, so progress has a true total at once.
   */
  async pullPlan(image: string): Promise<{ sizeBytes: number; layerSizes: Record<string, number> }> {
    const { sizeBytes, layers } = await this.resolve(image);
    return { sizeBytes, layerSizes: Object.fromEntries(layers.map((l) => [l.digest.replace(/^sha256:/, '').slice(0, 12), l.size])) };
  }

  /**
   * Just the digest a tag points at now. A HEAD request: Docker Hub does not count those against
   * its pull rate limit, and nothing but the header is needed. Falls back to GET when a registry
   * sends no Docker-Content-Digest.
   */
  async digestOf(image: string | ImageRef, signal?: AbortSignal): Promise<string> {
    const ref = typeof image === 'string' ? parseImageRef(image) : image;
    const reference = ref.digest ?? ref.tag ?? 'latest';
    const response = await this.#transport.request(ref.registry, ref.repository, `/v2/${ref.repository}/manifests/${reference}`, {
      method: 'HEAD', accept: MANIFEST_ACCEPT, what: `${ref.familiarName}${reference.includes(':') ? '@' : ':'}${reference}`, signal,
    });
    if (!response.ok) throw await this.#failure(response, ref, reference);
    const digest = response.headers.get('docker-content-digest');
    if (digest && isSha256Digest(digest)) return digest;
    return (await this.#manifest(ref, reference, signal, true)).digest;
  }

  /** One blob of the image's repository (a layer) as the registry sends it; the caller checks its digest. */
  async blob(image: string | ImageRef, digest: string, signal?: AbortSignal): Promise<Response> {
    const ref = typeof image === 'string' ? parseImageRef(image) : image;
    const response = await this.#transport.request(ref.registry, ref.repository, `/v2/${ref.repository}/blobs/${digest}`, {
      what: `layer ${digest.slice(0, 19)} of ${ref.familiarName}`, signal,
    });
    if (!response.ok) throw await this.#failure(response, ref, digest);
    return response;
  }

  async #credentials(host: string): Promise<ResolvedCredentials | undefined> {
    return credentialsFor(host, { stored: this.#deps.storedCredentials, secrets: this.#deps.secrets, env: this.#deps.env, log: this.#deps.log });
  }

  #manifest(ref: ImageRef, reference: string, signal?: AbortSignal, fresh = false): Promise<FetchedManifest> {
    const byDigest = reference.includes(':');
    const key = `${ref.registry}/${ref.repository}@${reference}`;
    if (byDigest && !fresh) {
      const cached = this.#byDigest.get(key);
      if (cached) return cached;
    }
    const pending = this.#fetchManifest(ref, reference, signal);
    if (byDigest) {
      this.#byDigest.set(key, pending);
      pending.catch(() => this.#byDigest.delete(key));
    }
    return pending;
  }

  async #fetchManifest(ref: ImageRef, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const response = await this.#transport.request(ref.registry, ref.repository, `/v2/${ref.repository}/manifests/${reference}`, {
      accept: MANIFEST_ACCEPT, what: `${ref.familiarName}${reference.includes(':') ? '@' : ':'}${reference}`, signal,
    });
    if (!response.ok) throw await this.#failure(response, ref, reference);
    const raw = Buffer.from(await response.arrayBuffer());
    const computed = `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    const claimed = response.headers.get('docker-content-digest');
    // What we read must be what the digest names: a registry or proxy that changes it is not trusted.
    const expected = reference.startsWith('sha256:') ? reference : claimed?.startsWith('sha256:') ? claimed : undefined;
    if (expected && computed !== expected) {
      throw new BenchtopError('DIGEST_MISMATCH', `${ref.familiarName}${reference.includes(':') ? '@' : ':'}${reference}: the registry sent a manifest whose digest is ${computed}, not ${expected}.`,
        'Do not use this image; tell whoever runs the registry (or the proxy in between).');
    }
    const digest = reference.startsWith('sha256:') ? reference : claimed ?? computed;
    let manifest: AnyManifest;
    try {
      manifest = JSON.parse(raw.toString('utf8')) as AnyManifest;
    } catch {
      throw new BenchtopError('REGISTRY_ERROR', `${ref.familiarName}:${reference}: the manifest is not JSON.`, 'Tell whoever runs the registry.');
    }
    if (!isIndex(manifest, response.headers.get('content-type')) && !(manifest as ImageManifest).config) {
      throw new BenchtopError('REGISTRY_ERROR', `${ref.familiarName}:${reference} has an old (schema 1) or unknown manifest (${response.headers.get('content-type')}).`,
        'Republish the image with a current Docker or buildkit.');
    }
    return { digest, manifest };
  }

  #config(ref: ImageRef, digest: string, signal?: AbortSignal): Promise<ImageConfigInfo> {
    const key = `${ref.registry}/${ref.repository}@${digest}`;
    let pending = this.#configs.get(key);
    if (!pending) {
      pending = this.#fetchConfig(ref, digest, signal);
      this.#configs.set(key, pending);
      pending.catch(() => this.#configs.delete(key));
    }
    return pending;
  }

  async #fetchConfig(ref: ImageRef, digest: string, signal?: AbortSignal): Promise<ImageConfigInfo> {
    const response = await this.#transport.request(ref.registry, ref.repository, `/v2/${ref.repository}/blobs/${digest}`, {
      what: `the configuration of ${ref.familiarName}@${digest}`, signal,
    });
    if (!response.ok) throw await this.#failure(response, ref, digest);
    const body = (await response.json()) as { created?: string; os?: string; architecture?: string; variant?: string; config?: { Labels?: Record<string, string> | null } };
    const info: ImageConfigInfo = {
      labels: body.config?.Labels ?? {},
      platform: { os: body.os ?? 'linux', architecture: body.architecture ?? 'unknown', ...(body.variant ? { variant: body.variant } : {}) },
    };
    const created = body.created ?? info.labels['org.opencontainers.image.created'];
    if (created) info.created = created;
    return info;
  }

  async #failure(response: Response, ref: ImageRef, reference: string | undefined): Promise<BenchtopError> {
    const { code, message } = await registryErrorCode(response);
    const detail = message ? ` (${message})` : '';
    if (response.status === 404 || code === 'NAME_UNKNOWN' || code === 'MANIFEST_UNKNOWN') {
      if (reference && !reference.includes(':') && code !== 'NAME_UNKNOWN') {
        return new BenchtopError('TAG_NOT_FOUND', `${ref.familiarName} has no tag "${reference}" on ${ref.registry}.`,
          `See the versions there with \`benchtop versions\`, then pin one of them.`);
      }
      return new BenchtopError('IMAGE_NOT_FOUND',
        reference ? `${ref.familiarName}${reference.includes(':') ? '@' : ':'}${reference} does not exist on ${ref.registry}${detail}.` : `${ref.registry} has no repository ${ref.repository}${detail}.`,
        'Check the image name in devcontainer.json; the version may have been deleted from the registry.');
    }
    return new BenchtopError('REGISTRY_ERROR', `${ref.registry} answered HTTP ${response.status}${code ? ` ${code}` : ''}${detail} for ${ref.familiarName}${reference ? ` ${reference}` : ''}.`,
      response.status >= 500 ? 'The registry has a problem; try again later.' : 'Tell whoever runs the registry.');
  }
}
