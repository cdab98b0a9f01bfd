import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * Publishes small, real images straight through the distribution API (blob uploads and manifest
 * PUTs), so registry tests can make many tags, multi-platform indexes and labelled configs in
 * milliseconds without building anything.
 */

export interface PushTarget {
  /** e.g. http://127.0.0.1:5000 */
  base: string;
  repository: string;
  /** Full Authorization header value, when the registry needs one. */
  authorization?: string;
}

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function check(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

function headers(target: PushTarget, extra: Record<string, string> = {}): Record<string, string> {
  return target.authorization ? { Authorization: target.authorization, ...extra } : extra;
}

export async function pushBlob(target: PushTarget, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(data);
  const start = await check(await fetch(`${target.base}/v2/${target.repository}/blobs/uploads/`, { method: 'POST', headers: headers(target) }), 'start upload');
  const location = new URL(start.headers.get('location') ?? '', target.base);
  location.searchParams.set('digest', digest);
  await check(await fetch(location, { method: 'PUT', headers: headers(target, { 'Content-Type': 'application/octet-stream' }), body: data }), 'upload blob');
  return { digest, size: data.length };
}

export async function putManifest(target: PushTarget, reference: string, body: string, mediaType: string): Promise<string> {
  await check(await fetch(`${target.base}/v2/${target.repository}/manifests/${reference}`, {
    method: 'PUT', headers: headers(target, { 'Content-Type': mediaType }), body,
  }), `put manifest ${reference}`);
  return sha256(body);
}

export interface TinyImage {
  digest: string;
  manifest: string;
  mediaType: string;
  /** config + layer, what a client should report as the image size. */
  sizeBytes: number;
  configDigest: string;
}

/** One single-platform image (docker v2 manifest) with the given labels, untagged until `tag`. */
export async function pushTinyImage(target: PushTarget, options: { labels?: Record<string, string>; architecture?: string; created?: string; layerBytes?: number } = {}): Promise<TinyImage> {
  // A gzipped tar of one file of random bytes: distinct per call, so digests differ.
  const tar = Buffer.alloc(1024 + 512 + Math.ceil((options.layerBytes ?? 64) / 512) * 512);
  const uncompressed = Buffer.concat([randomBytes(16), tar]);
  const layer = await pushBlob(target, gzipSync(uncompressed));
  const config = Buffer.from(JSON.stringify({
    architecture: options.architecture ?? 'amd64',
    os: 'linux',
    created: options.created ?? new Date().toISOString(),
    config: { Labels: options.labels ?? {} },
    rootfs: { type: 'layers', diff_ids: [sha256(uncompressed)] },
  }));
  const configBlob = await pushBlob(target, config);
  const mediaType = 'application/vnd.docker.distribution.manifest.v2+json';
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: configBlob.size, digest: configBlob.digest },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.size, digest: layer.digest }],
  });
  const digest = await putManifest(target, sha256(manifest), manifest, mediaType);
  return { digest, manifest, mediaType, sizeBytes: configBlob.size + layer.size, configDigest: configBlob.digest };
}

/** An OCI index over images of several architectures (plus an attestation entry, as buildx adds). */
export async function pushIndex(target: PushTarget, images: { image: TinyImage; architecture: string; variant?: string }[]): Promise<{ digest: string; manifest: string; mediaType: string }> {
  const mediaType = 'application/vnd.oci.image.index.v1+json';
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType,
    manifests: [
      ...images.map(({ image, architecture, variant }) => ({
        mediaType: image.mediaType, size: Buffer.byteLength(image.manifest), digest: image.digest,
        platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) },
      })),
      { mediaType: images[0].image.mediaType, size: Buffer.byteLength(images[0].image.manifest), digest: images[0].image.digest,
        platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
    ],
  });
  return { digest: await putManifest(target, sha256(index), index, mediaType), manifest: index, mediaType };
}

/** Points `tags` at an already pushed manifest (the cheap way to make many tags). */
export async function tag(target: PushTarget, manifest: { manifest: string; mediaType: string }, tags: string[]): Promise<void> {
  for (const t of tags) await putManifest(target, t, manifest.manifest, manifest.mediaType);
}
