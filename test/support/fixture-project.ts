import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testEnv } from './env';

/** The fixture projects under test/fixtures/projects/ (e.g. `basic`). */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

/** What every fixture's devcontainer.json holds until makeProject writes the real image. */
export const PLACEHOLDER_IMAGE = `127.0.0.1:5000/team/analysis@sha256:${'0'.repeat(64)}`;
export const PLACEHOLDER_VERSION = '0.0.0-placeholder';

export interface MakeProjectOptions {
  /** Fixture folder name; default `basic`. */
  fixture?: string;
  /** Image version (tag) from testEnv(); default the latest. */
  version?: string;
  /** `open` (127.0.0.1:5000, default) or `auth` (htpasswd, 127.0.0.1:5001). */
  registry?: 'open' | 'auth';
  /** true (default): `repo@sha256:…` with a `// version:` comment; false: `repo:version`. */
  pinned?: boolean;
  /** `image` (default): the test image's lockfile; `fixture`: keep the fixture's; `none`: delete it; or exact text. */
  lockfile?: 'image' | 'fixture' | 'none' | { text: string };
}

export interface FixtureProject {
  dir: string;
  devcontainerPath: string;
  /** The `image` value written. */
  image: string;
  repository: string;
  digest: string;
  version: string;
  lockfilePath: string;
  /** Removes the temp folder. */
  cleanup(): Promise<void>;
}

/**
 * Copies a fixture project into a fresh temp folder and points it at the real test image: the
 * placeholder pin is replaced (text only, so the file's comments and layout stay the fixture's)
 * and the lockfile becomes the one the image was built from, so lockfile checks match.
 */
export async function makeProject(options: MakeProjectOptions = {}): Promise<FixtureProject> {
  const env = testEnv();
  const version = options.version ?? env.image.latest;
  const entry = env.image.versions[version];
  if (!entry) throw new Error(`The test environment has no image version ${version} (has ${Object.keys(env.image.versions).join(', ')}).`);
  const host = options.registry === 'auth' ? env.authRegistry.address : env.registry;
  const repository = `${host}/${env.image.repository}`;

  const dir = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
  await cp(join(FIXTURES_DIR, options.fixture ?? 'basic'), dir, { recursive: true });
  const devcontainerPath = join(dir, '.devcontainer', 'devcontainer.json');
  const text = await readFile(devcontainerPath, 'utf8');
  if (!text.includes(PLACEHOLDER_IMAGE)) throw new Error(`${devcontainerPath} lacks the placeholder image ${PLACEHOLDER_IMAGE}.`);
  const pinned = options.pinned ?? true;
  const image = pinned ? `${repository}@${entry.digest}` : `${repository}:${version}`;
  const placeholder = `"${PLACEHOLDER_IMAGE}", // version: ${PLACEHOLDER_VERSION}`;
  const replacement = pinned ? `"${image}", // version: ${version}` : `"${image}",`;
  await writeFile(devcontainerPath, text.includes(placeholder) ? text.replace(placeholder, replacement) : text.replace(PLACEHOLDER_IMAGE, image));

  const lockfilePath = join(dir, 'environment.lock');
  const lockfile = options.lockfile ?? 'image';
  if (lockfile === 'image') await cp(env.image.lockfilePath, lockfilePath);
  else if (lockfile === 'none') await rm(lockfilePath, { force: true });
  else if (typeof lockfile === 'object') await writeFile(lockfilePath, lockfile.text);

  return {
    dir,
    devcontainerPath,
    image,
    repository,
    digest: entry.digest,
    version,
    lockfilePath,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
