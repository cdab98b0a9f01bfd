import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * Pushes a made-up image straight through the registry's v2 API (blob uploads, then the manifest):
 * the way to have an image for another architecture, or with a CUDA label, on the loopback registry
 * without building one. It is never pulled, so its facts can only come from the registry.
 */
export interface PushedImage {
  repository: string;
  digest: string;
  ref: string;
  compressedBytes: number;
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function putBlob(registry: string, repository: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const start = await fetch(`http://${registry}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload to ${registry}/${repository} answered ${start.status}`);
  const location = new URL(start.headers.get('location') ?? '', `http://${registry}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: data, headers: { 'Content-Type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`blob PUT answered ${put.status}`);
  return digest;
}

async function putManifest(registry: string, repository: string, reference: string, manifest: object, mediaType: string): Promise<string> {
  const body = Buffer.from(JSON.stringify(manifest));
  const put = await fetch(`http://${registry}/v2/${repository}/manifests/${reference}`, { method: 'PUT', body, headers: { 'Content-Type': mediaType } });
  if (put.status !== 201) throw new Error(`manifest PUT answered ${put.status}: ${await put.text()}`);
  return sha256(body);
}

export async function pushImage(registry: string, options: { architecture: string; labels?: Record<string, string>; layerBytes?: number }): Promise<PushedImage & { manifest: { digest: string; size: number } }> {
  const repository = `bt-test/machine-${randomBytes(4).toString('hex')}`;
  // An (almost) empty tar, gzipped: a valid layer.
  const layer = gzipSync(Buffer.concat([randomBytes(options.layerBytes ?? 4096), Buffer.alloc(1024)]));
  const layerDigest = await putBlob(registry, repository, layer);
  const config = Buffer.from(JSON.stringify({
    architecture: options.architecture, os: 'linux', config: { Labels: options.labels ?? {} }, rootfs: { type: 'layers', diff_ids: [layerDigest] },
  }));
  const configDigest = await putBlob(registry, repository, config);
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  const manifest = {
    schemaVersion: 2, mediaType,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
  };
  const body = JSON.stringify(manifest);
  const digest = await putManifest(registry, repository, 'v1', manifest, mediaType);
  return { repository: `${registry}/${repository}`, digest, ref: `${registry}/${repository}@${digest}`, compressedBytes: layer.length + config.length, manifest: { digest, size: Buffer.byteLength(body) } };
}

/** An index (multi-platform list) holding only the given single-platform image. */
export async function pushIndex(registry: string, image: Awaited<ReturnType<typeof pushImage>>, architecture: string): Promise<PushedImage> {
  const repository = image.repository.slice(registry.length + 1);
  const mediaType = 'application/vnd.oci.image.index.v1+json';
  const index = {
    schemaVersion: 2, mediaType,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.manifest.digest, size: image.manifest.size, platform: { architecture, os: 'linux' } }],
  };
  const digest = await putManifest(registry, repository, 'multi', index, mediaType);
  return { repository: image.repository, digest, ref: `${image.repository}@${digest}`, compressedBytes: image.compressedBytes };
}
