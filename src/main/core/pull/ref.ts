import { parseImageRef } from '../registry/image-ref';

/** An image reference split the way the engine's pull API and its RepoDigests want it. */
export interface PullRef {
  /** Repository as the engine names it in RepoDigests: `127.0.0.1:5000/team/analysis`, `python`. */
  repository: string;
  /** `sha256:…` when pinned by digest. */
  digest?: string;
  tag?: string;
  /** Registry host as credentials are keyed (`docker.io` when none is named). */
  registry: string;
}

/** Parses with the registry's full reference grammar (IMAGE_REF_INVALID on bad input). */
export function splitRef(ref: string): PullRef {
  const parsed = parseImageRef(ref);
  return {
    repository: parsed.familiarName,
    digest: parsed.digest,
    tag: parsed.digest ? undefined : (parsed.tag ?? 'latest'),
    registry: parsed.registry,
  };
}

export function formatRef(ref: PullRef): string {
  return ref.digest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag ?? 'latest'}`;
}
