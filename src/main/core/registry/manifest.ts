/** Manifest shapes of the OCI image spec and Docker's v2 schema 2, as far as Benchtop reads them. */

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** What we accept for a tag: an index/list (multi-platform) or a single image manifest. */
export const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest];

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: Platform;
}

export interface ImageManifest {
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  mediaType?: string;
  manifests: Descriptor[];
}

export type AnyManifest = ImageManifest | ImageIndex;

export function isIndex(manifest: AnyManifest, contentType?: string | null): manifest is ImageIndex {
  const type = manifest.mediaType ?? contentType ?? '';
  return type === MEDIA.ociIndex || type === MEDIA.dockerList || Array.isArray((manifest as ImageIndex).manifests);
}

export function platformName(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** Node's arch names as image platforms use them. */
export function hostPlatform(arch: string = process.arch): Platform {
  const map: Record<string, Platform> = {
    x64: { os: 'linux', architecture: 'amd64' },
    arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
    ia32: { os: 'linux', architecture: '386' },
    ppc64: { os: 'linux', architecture: 'ppc64le' },
    s390x: { os: 'linux', architecture: 's390x' },
  };
  return map[arch] ?? { os: 'linux', architecture: arch };
}

/**
 * Picks the manifest for `want` from an index, as the engine would: same os and architecture, the
 * same variant when both say one (arm64 images often omit "v8"). Attestation entries
 * (platform unknown/unknown) never match.
 */
export function pickPlatform(index: ImageIndex, want: Platform): Descriptor | undefined {
  const candidates = index.manifests.filter((m) => m.platform && m.platform.os === want.os && m.platform.architecture === want.architecture);
  return candidates.find((m) => m.platform?.variant === want.variant) ?? candidates.find((m) => !m.platform?.variant || !want.variant) ?? candidates[0];
}

/** Platforms an index offers, without attestation entries. */
export function indexPlatforms(index: ImageIndex): Platform[] {
  return index.manifests.map((m) => m.platform).filter((p): p is Platform => !!p && p.os !== 'unknown' && p.architecture !== 'unknown');
}
