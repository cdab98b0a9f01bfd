import { BenchtopError } from '../errors';

/**
 * An image reference split by the Docker/OCI reference grammar (distribution/reference):
 *
 *   reference := name [":" tag] ["@" digest]
 *   name      := [domain "/"] path-component ["/" path-component]*
 *   domain    := host [":" port]      (a first component is a domain only when it has a "." or a ":"
 *                                      or is "localhost" or has upper-case letters, as Docker decides)
 */
export interface ImageRef {
  /** Registry host as written or defaulted, with port: `docker.io`, `127.0.0.1:5000`, `ghcr.io`. */
  registry: string;
  /** Path inside the registry, with `library/` added for official Docker Hub images. */
  repository: string;
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
  /** `registry/repository`, the fully qualified name without tag or digest. */
  name: string;
  /** The name as people write it (Docker Hub's `docker.io/` and `library/` dropped). */
  familiarName: string;
}

export const DOCKER_HUB = 'docker.io';

const MAX_NAME_LENGTH = 255;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PORT = /^[0-9]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

function invalid(ref: string, reason: string): BenchtopError {
  return new BenchtopError(
    'IMAGE_REF_INVALID',
    `"${ref}" is not a valid image reference: ${reason}.`,
    'Write it as registry/repository:tag or registry/repository@sha256:<64 hex digits>, e.g. ghcr.io/team/analysis:2026.11.2.',
  );
}

function isDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component !== component.toLowerCase();
}

function checkDomain(ref: string, domain: string): void {
  let host = domain;
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const close = domain.indexOf(']');
    if (close < 0) throw invalid(ref, `the registry host "${domain}" opens "[" without closing it`);
    host = domain.slice(1, close);
    if (!/^[0-9a-fA-F:.]+$/.test(host) || !host.includes(':')) throw invalid(ref, `"${host}" is not an IPv6 address`);
    const rest = domain.slice(close + 1);
    if (rest && !rest.startsWith(':')) throw invalid(ref, `unexpected "${rest}" after the IPv6 address`);
    port = rest ? rest.slice(1) : undefined;
  } else {
    const colon = domain.lastIndexOf(':');
    if (colon >= 0) {
      host = domain.slice(0, colon);
      port = domain.slice(colon + 1);
    }
    for (const part of host.split('.')) {
      if (!DOMAIN_COMPONENT.test(part)) throw invalid(ref, `"${host}" is not a valid registry host name`);
    }
  }
  if (port !== undefined && (!PORT.test(port) || Number(port) > 65535)) {
    throw invalid(ref, `"${port}" is not a valid port for registry ${host}`);
  }
}

function checkDigest(ref: string, digest: string): void {
  if (!DIGEST.test(digest)) throw invalid(ref, `"${digest}" is not a digest (expected algorithm:hex)`);
  const [algorithm, hex] = digest.split(':');
  if (algorithm === 'sha256' && !/^[0-9a-f]{64}$/.test(hex)) {
    throw invalid(ref, 'a sha256 digest has exactly 64 lower-case hex digits');
  }
  if (algorithm === 'sha512' && !/^[0-9a-f]{128}$/.test(hex)) {
    throw invalid(ref, 'a sha512 digest has exactly 128 lower-case hex digits');
  }
}

/** Parses an image reference; throws IMAGE_REF_INVALID with the reason when it breaks the grammar. */
export function parseImageRef(input: string): ImageRef {
  const ref = input.trim();
  if (!ref) throw invalid(input, 'it is empty');
  if (/\s/.test(ref)) throw invalid(ref, 'it contains white space');

  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    checkDigest(ref, digest);
  }

  // A tag is what follows the last ":" after the last "/" (a ":" before it belongs to a port).
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) {
      throw invalid(ref, tag ? `"${tag}" is not a valid tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")` : 'the tag after ":" is empty');
    }
  }

  if (!rest) throw invalid(ref, 'the repository name is missing');
  if (rest.length > MAX_NAME_LENGTH) throw invalid(ref, `the name is longer than ${MAX_NAME_LENGTH} characters`);
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && isDomain(parts[0])) {
    registry = parts.shift() as string;
    checkDomain(ref, registry);
  }
  for (const part of parts) {
    if (!part) throw invalid(ref, 'the repository has an empty path component ("//" or a trailing "/")');
    if (!PATH_COMPONENT.test(part)) {
      throw invalid(
        ref,
        part !== part.toLowerCase()
          ? `the repository "${parts.join('/')}" must be lower case`
          : `"${part}" is not a valid repository path component (lower-case letters, digits and single ".", "_", "__" or "-" between them)`,
      );
    }
  }
  // Docker Hub: "index.docker.io" is an old name of "docker.io"; official images live under library/.
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  let repository = parts.join('/');
  if (registry === DOCKER_HUB && parts.length === 1) repository = `library/${repository}`;

  const name = `${registry}/${repository}`;
  const familiarName = registry === DOCKER_HUB ? repository.replace(/^library\/(?=[^/]+$)/, '') : name;
  const parsed: ImageRef = { registry, repository, name, familiarName };
  if (tag !== undefined) parsed.tag = tag;
  if (digest !== undefined) parsed.digest = digest;
  return parsed;
}

/**
 * Writes a reference back. By default in familiar form (`ubuntu:24.04`, `ghcr.io/x/y@sha256:…`) as
 * people and devcontainer.json write it; `canonical` keeps `docker.io/library/`.
 */
export function formatImageRef(
  ref: Pick<ImageRef, 'registry' | 'repository'> & { tag?: string; digest?: string },
  options: { canonical?: boolean } = {},
): string {
  let name = `${ref.registry}/${ref.repository}`;
  if (!options.canonical && ref.registry === DOCKER_HUB) name = ref.repository.replace(/^library\/(?=[^/]+$)/, '');
  return `${name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** True for strings shaped like a sha256 digest (what a pin must be). */
export function isSha256Digest(value: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(value);
}
