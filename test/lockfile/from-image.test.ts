import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageFile } from '../../src/main/core/lockfile/from-image';
import { pushBlob, putManifest, type PushTarget } from '../registry/push';
import { testCore } from '../project/support';

/**
 * The lockfile read from an image that is not on this computer: straight from the registry's
 * layers, top first, with whiteouts honoured and each layer checked against its digest. Images
 * are made through the distribution API under a repository of this test's own.
 */
const HOST = '127.0.0.1:5000';
const repository = `bt-test-${randomBytes(4).toString('hex')}/layers`;
const target: PushTarget = { base: `http://${HOST}`, repository };
const core = testCore();
afterAll(() => core.close());

async function layer(files: Record<string, string>): Promise<{ digest: string; size: number }> {
  const tar = pack();
  for (const [name, text] of Object.entries(files)) tar.entry({ name }, text);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return pushBlob(target, gzipSync(Buffer.concat(chunks)));
}

async function image(layers: Record<string, string>[], labels: Record<string, string> = {}): Promise<string> {
  const pushed = [];
  for (const files of layers) pushed.push(await layer(files));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: labels }, rootfs: { type: 'layers', diff_ids: [] } }));
  const configBlob = await pushBlob(target, config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...configBlob },
    layers: pushed.map((l) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...l })),
  });
  const digest = await putManifest(target, `t${randomBytes(3).toString('hex')}`, manifest, 'application/vnd.docker.distribution.manifest.v2+json');
  return `${HOST}/${repository}@${digest}`;
}

const LOCK = '/opt/benchtop/environment.lock';
const read = (ref: string) => readImageFile({ engines: core.engines, registry: core.registry }, ref, LOCK);

describe('reading the lockfile from the registry', () => {
  it('takes the topmost copy', async () => {
    const ref = await image([{ 'opt/benchtop/environment.lock': 'old==1\n' }, { 'usr/bin/tool': '#!' }, { './opt/benchtop/environment.lock': 'new==2\n' }]);
    expect(await read(ref)).toBe('new==2\n');
  });

  it('honours a whiteout above a copy, and an opaque folder', async () => {
    expect(await read(await image([{ 'opt/benchtop/environment.lock': 'old==1\n' }, { 'opt/benchtop/.wh.environment.lock': '' }]))).toBeUndefined();
    expect(await read(await image([{ 'opt/benchtop/environment.lock': 'old==1\n' }, { 'opt/.wh..wh..opq': '' }]))).toBeUndefined();
    // A file written in the same layer as the opaque marker of its folder is the layer's own.
    expect(await read(await image([{ 'opt/benchtop/environment.lock': 'old==1\n' }, { 'opt/benchtop/.wh..wh..opq': '', 'opt/benchtop/environment.lock': 'kept==3\n' }]))).toBe('kept==3\n');
  });

  it('says there is none when no layer has it', async () => {
    expect(await read(await image([{ 'etc/hostname': 'x' }]))).toBeUndefined();
  });
});

describe('the lockfile comes with the pin', () => {
  const text = '# the image\'s lockfile\nnumpy==2.1.0\npandas==2.2.3\nrequests==2.32.3\n';
  const labels = { 'dev.benchtop.lockfile.sha256': createHash('sha256').update(text).digest('hex'), 'dev.benchtop.lockfile.path': LOCK };

  async function projectFor(ref: string, lockfile?: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
    await mkdir(join(dir, '.devcontainer'));
    await writeFile(join(dir, '.devcontainer', 'devcontainer.json'), JSON.stringify({ image: ref }));
    if (lockfile !== undefined) await writeFile(join(dir, 'environment.lock'), lockfile);
    return dir;
  }

  it('writes it, then lists the package changes when it changes, and leaves it alone when equal', async () => {
    const ref = await image([{ 'opt/benchtop/environment.lock': text }], labels);
    const fresh = await projectFor(ref);
    expect(await core.lockfiles.updateFromImage(fresh)).toMatchObject({ state: 'written', message: `Wrote environment.lock from ${ref} (3 packages).` });
    expect(await readFile(join(fresh, 'environment.lock'), 'utf8')).toBe(text);
    expect((await core.lockfiles.updateFromImage(fresh)).state).toBe('unchanged');

    const older = await projectFor(ref, 'numpy==1.26.4\npandas==2.2.3\nscipy==1.14.1\n');
    const update = await core.lockfiles.updateFromImage(older);
    expect(update).toMatchObject({
      state: 'updated',
      added: [{ name: 'requests', to: '2.32.3' }],
      removed: [{ name: 'scipy', from: '1.14.1' }],
      changed: [{ name: 'numpy', from: '1.26.4', to: '2.1.0' }],
    });
    expect(update.message).toBe(`Updated environment.lock from ${ref}: 1 added, 1 removed, 1 changed.`);
    expect(await readFile(join(older, 'environment.lock'), 'utf8')).toBe(text);
  });

  it('a preview (before a pin is confirmed) lists the same package changes and writes nothing', async () => {
    const ref = await image([{ 'opt/benchtop/environment.lock': text }], labels);
    const before = 'numpy==1.26.4\npandas==2.2.3\nscipy==1.14.1\n';
    const dir = await projectFor(ref, before);
    expect(await core.lockfiles.updateFromImage(dir, undefined, { preview: true })).toMatchObject({
      state: 'updated',
      message: `Pinning ${ref} would update environment.lock.`,
      added: [{ name: 'requests', to: '2.32.3' }],
      removed: [{ name: 'scipy', from: '1.14.1' }],
      changed: [{ name: 'numpy', from: '1.26.4', to: '2.1.0' }],
    });
    expect(await readFile(join(dir, 'environment.lock'), 'utf8')).toBe(before);
  });

  it('refuses an image whose lockfile is not the one its label names, and leaves the project alone', async () => {
    const ref = await image([{ 'opt/benchtop/environment.lock': 'tampered==1\n' }], labels);
    const dir = await projectFor(ref, 'mine==1\n');
    expect(await core.lockfiles.updateFromImage(dir)).toMatchObject({ state: 'failed', message: expect.stringContaining('does not match its own dev.benchtop.lockfile.sha256 label') });
    expect(await readFile(join(dir, 'environment.lock'), 'utf8')).toBe('mine==1\n');
  });
});
