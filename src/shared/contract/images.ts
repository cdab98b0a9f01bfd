import type { LockfileUpdate } from './project';

export interface ImageVersion {
  tag: string;
  digest: string;
  /** ISO date from the image config, when readable. */
  created?: string;
  /** `org.opencontainers.image.version`, when labelled. */
  version?: string;
  pinned: boolean;
  /** Newer than the pinned one. */
  newer: boolean;
  /** A copy is present on this computer's engine. */
  local: boolean;
  sizeBytes?: number;
}

export interface ImageVersionList {
  repository: string;
  versions: ImageVersion[];
  pinnedDigest?: string;
  /** Set when the tag the project was pinned from now points elsewhere. */
  tagMoved?: { tag: string; pinnedDigest: string; currentDigest: string };
}

export interface LocalImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  sizeBytes: number;
  created: string;
}

export interface ImagesInvoke {
  imageVersions: (req: { dir: string }) => ImageVersionList;
  /** Pins the project to a version (a tag) or, with no version, to the newest. Returns the new pin. */
  imagePin: (req: { dir: string; version?: string }) => { image: string; digest: string; version?: string; lockfile?: LockfileUpdate };
  /** What imagePin would do, writing nothing: the digest, and the lockfile's package changes against the project's current one. */
  imagePinPreview: (req: { dir: string; version?: string }) => { image: string; digest: string; version?: string; lockfile?: LockfileUpdate };
  imageUnpin: (req: { dir: string }) => { image: string };
  imageLocalList: (req: void) => LocalImage[];
  imageRemoveLocal: (req: { ref: string }) => { removed: string[] };
}
