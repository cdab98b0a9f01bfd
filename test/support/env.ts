// The test environment made by `bash scripts/test-env.sh`: a Docker engine, two loopback
// registries (open and basic-auth) holding the analysis image, and the test lockfile.
// Tests read it here instead of hard-coding ports, digests or paths.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ImageVersionInfo {
  /** Manifest digest, `sha256:…`, identical on both registries. */
  digest: string;
}

export interface TestEnv {
  /** Where the engine answers, e.g. `unix:///var/run/docker.sock`. */
  dockerHost: string;
  /** Open registry, `HOST:PORT` (images are `${registry}/${image.repository}`). */
  registry: string;
  /** Registry that needs basic auth; anonymous requests get 401. */
  authRegistry: { address: string; username: string; password: string };
  image: {
    /** Repository path on both registries, e.g. `team/analysis`. */
    repository: string;
    /** Published versions (tags) and their digests. */
    versions: Record<string, ImageVersionInfo>;
    /** The newest version, a key of `versions`. */
    latest: string;
    /** Absolute path of the lockfile every test image holds at /opt/benchtop/environment.lock. */
    lockfilePath: string;
    /** sha256 hex of that lockfile, equal to the images' `dev.benchtop.lockfile.sha256` label. */
    lockfileSha256: string;
    /** Uncompressed size of the latest image as the engine reports it (`docker image inspect`). */
    imageSizeBytes: number;
  };
  /** Local image the analysis image is built on (Debian bookworm + python3-notebook). */
  baseImage: string;
}

/** Absolute path of `.test-env/env.json` in this checkout. */
export const testEnvPath: string = fileURLToPath(new URL('../../.test-env/env.json', import.meta.url));

let cached: TestEnv | undefined;

/** Reads `.test-env/env.json`; throws with the fix when the environment was never set up. */
export function testEnv(): TestEnv {
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(testEnvPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${testEnvPath} is missing: run bash scripts/test-env.sh first`);
    }
    throw error;
  }
  const parsed = JSON.parse(text) as TestEnv;
  if (typeof parsed.image?.versions?.[parsed.image.latest]?.digest !== 'string') {
    throw new Error(`${testEnvPath} is incomplete: run bash scripts/test-env.sh first`);
  }
  cached = parsed;
  return parsed;
}
