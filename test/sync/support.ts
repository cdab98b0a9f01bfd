import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { Core } from '../../src/main/core/core';
import { execIn } from '../../src/main/core/sync/container-exec';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { NOTEBOOKS_ROOT } from '../../src/main/core/sync/remote-tree';

/** The analysis image's own user: who runs Jupyter, and owns the volume. */
export const SESSION_USER = '1000:1000';

const ENV_JSON = new URL('../../.test-env/env.json', import.meta.url);

/**
 * The analysis image the sync runs its helper (and the stand-in session) from: the test
 * environment's latest version when it is set up; BT_SYNC_IMAGE overrides it.
 */
export function syncTestImage(): string | undefined {
  if (process.env.BT_SYNC_IMAGE) return process.env.BT_SYNC_IMAGE;
  if (!existsSync(ENV_JSON)) return undefined;
  const env = JSON.parse(readFileSync(ENV_JSON, 'utf8')) as { registry: string; image: { repository: string; latest: string; versions: Record<string, { digest: string }> } };
  return `${env.registry}/${env.image.repository}:${env.image.latest}`;
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A project folder, a Core with its own settings folder, and the stand-in for the remote side. */
export interface SyncFixture {
  core: Core;
  dir: string;
  target: string;
  notebooks: string;
  lockfile: string;
  image: string;
  volume: string;
  docker: Docker;
  /** A running container of the image with the project's volume mounted, as a session would have. */
  session(): Promise<Docker.Container>;
  /** Removes the stand-in session container (the next `session()` starts a new one). */
  dropSession(): Promise<void>;
  /** Runs a shell script in the volume as the image's user (as Jupyter would), returns stdout. */
  remote(script: string, ...args: string[]): Promise<string>;
  readRemote(rel: string): Promise<Buffer>;
  remoteList(): Promise<string[]>;
  cleanup(): Promise<void>;
}

export interface SyncFixtureOptions {
  image: string;
  /** `local` (default) or a host id the given core knows. */
  target?: string;
  /** A core that already knows the target (the SSH tests' hosts fixture); a fresh one otherwise. */
  core?: Core;
  /** An existing project folder (a fixture project); a bare one otherwise. */
  dir?: string;
}

export async function syncFixture(options: SyncFixtureOptions): Promise<SyncFixture> {
  const { image } = options;
  const target = options.target ?? 'local';
  const home = await mkdtemp(join(tmpdir(), 'bt-test-sync-home-'));
  let dir = options.dir;
  if (!dir) {
    dir = await mkdtemp(join(tmpdir(), 'bt-test-sync-'));
    await mkdir(join(dir, '.devcontainer'), { recursive: true });
    await writeFile(join(dir, '.devcontainer', 'devcontainer.json'), JSON.stringify({ name: `bt-test-${randomBytes(3).toString('hex')}`, image }));
    await mkdir(join(dir, 'notebooks'));
  }
  const core = options.core ?? new Core({ settings: openConfSettings(home), shell: 'cli' });
  const project = await core.projects.read(dir);
  const notebooks = project.notebooksDir;
  const lockfile = project.lockfilePath;
  // The volume the project's sync state records (made now): what a session of it would mount.
  const volume = (await core.sync.ensureVolume(project.dir, target)).name;
  const docker = await core.engines.docker(target);
  let container: Docker.Container | undefined;
  const session = async () => {
    if (container) return container;
    container = await docker.createContainer({
      name: `bt-test-${randomBytes(4).toString('hex')}`, Image: image, Entrypoint: ['sleep', 'infinity'], Cmd: [],
      HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: NOTEBOOKS_ROOT }], NetworkMode: 'none' },
    });
    await container.start();
    return container;
  };
  const remote = async (script: string, ...args: string[]) => {
    const c = await session();
    const out = await execIn(c, ['sh', '-c', `cd ${NOTEBOOKS_ROOT} && ${script}`, 'sh', ...args], undefined, SESSION_USER);
    if (out.exitCode !== 0) throw new Error(`remote script failed (${out.exitCode}): ${out.stderr}`);
    return out.stdout.toString('utf8');
  };
  return {
    core, dir: project.dir, target, notebooks, lockfile, image, volume, docker, session, remote,
    dropSession: async () => {
      await container?.remove({ force: true });
      container = undefined;
    },
    readRemote: async (rel) => {
      const c = await session();
      const out = await execIn(c, ['cat', '--', `${NOTEBOOKS_ROOT}/${rel}`]);
      if (out.exitCode !== 0) throw new Error(`cannot read ${rel} in the volume: ${out.stderr}`);
      return out.stdout;
    },
    // The notebooks as Jupyter shows them: Benchtop's trash and staging folders left out.
    remoteList: async () => {
      const all = (await remote('find . -mindepth 1 -not -path "./.benchtop-sync*" -not -path "./.benchtop/trash*" -printf "%y %P\\n"')).split('\n').filter(Boolean);
      return all.filter((l) => l !== 'd .benchtop' || all.some((o) => o.startsWith('f .benchtop/'))).sort();
    },
    cleanup: async () => {
      if (container) await container.remove({ force: true }).catch(() => undefined);
      await docker.getVolume(volume).remove().catch(() => undefined);
      if (!options.core) await core.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Every file under a local folder as `type path` lines, like remoteList, for side-by-side comparison. */
export async function localList(root: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const out: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const rel = prefix + e.name;
      out.push(`${e.isDirectory() ? 'd' : 'f'} ${rel}`);
      if (e.isDirectory()) await walk(join(dir, e.name), `${rel}/`);
    }
  };
  await walk(root, '');
  return out.sort();
}

/**
 * The fixture project pins Jupyter to port 8888; sessions of these tests take any free port instead,
 * so they never collide with each other or with other suites running at the same time.
 */
export async function withoutFixedPort(devcontainerPath: string): Promise<void> {
  const text = await readFile(devcontainerPath, 'utf8');
  const next = text.replace(/"port":\s*8888,\s*/, '');
  if (next === text) throw new Error(`${devcontainerPath} no longer pins port 8888; update withoutFixedPort.`);
  await writeFile(devcontainerPath, next);
}

/** Pins the fixture project's Jupyter to `port` (one nobody else uses) instead of 8888. */
export async function pinJupyterPort(devcontainerPath: string, port: number): Promise<void> {
  const text = await readFile(devcontainerPath, 'utf8');
  const next = text.replace(/"port":\s*8888/, `"port": ${port}`);
  if (next === text) throw new Error(`${devcontainerPath} no longer pins port 8888; update pinJupyterPort.`);
  await writeFile(devcontainerPath, next);
}
