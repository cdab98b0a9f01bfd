import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import { pushIndex, pushTinyImage, tag, type PushTarget, type TinyImage } from '../registry/push';
import { FIXTURES_DIR_FOR_UNIT as FIXTURES } from './fixtures-dir';
import { testCore, thrown } from './support';
import { runCli } from '../support/cli';

/**
 * Pin, unpin and versions against the real loopback registry, with small images published through
 * the registry API under a repository of this test's own (so tags can be moved without touching
 * the shared test image).
 */
const HOST = '127.0.0.1:5000';
const repository = `bt-test-${randomBytes(4).toString('hex')}/analysis`;
const REPO = `${HOST}/${repository}`;
const target: PushTarget = { base: `http://${HOST}`, repository };
const PLACEHOLDER = `"127.0.0.1:5000/team/analysis@sha256:${'0'.repeat(64)}", // version: 0.0.0-placeholder`;

const core = testCore();
const handlers = createHandlers(core);
let v1: TinyImage;
let v2: TinyImage;

async function project(image: string): Promise<{ dir: string; path: string; original: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
  await cp(join(FIXTURES, 'basic'), dir, { recursive: true });
  const path = join(dir, '.devcontainer', 'devcontainer.json');
  const original = (await readFile(path, 'utf8')).replace(PLACEHOLDER, JSON.stringify(image) + ',');
  await writeFile(path, original);
  return { dir, path, original };
}

/** Indexes of the lines that differ. */
const changedLines = (a: string, b: string) => a.split('\n').flatMap((line, i) => (line === b.split('\n')[i] ? [] : [i]));

const benchtop = async (args: string[]) => runCli('source', args, { env: { BENCHTOP_HOME: await mkdtemp(join(tmpdir(), 'bt-test-home-')) } });

beforeAll(async () => {
  v1 = await pushTinyImage(target, { created: '2026-11-01T09:00:00Z', labels: { 'org.opencontainers.image.version': '2026.11.1' } });
  v2 = await pushTinyImage(target, { created: '2026-11-15T09:00:00Z', labels: { 'org.opencontainers.image.version': '2026.11.2' } });
  await tag(target, v1, ['2026.11.1']);
  await tag(target, v2, ['2026.11.2', 'latest']);
});

afterAll(() => core.close());

describe('pinning a project to an image version', () => {
  it('pins a version by digest with the version as a comment, and unpins back to the same bytes', async () => {
    const { dir, path, original } = await project(`${REPO}:2026.11.1`);
    const pin = await core.imageVersions.pin(dir, '2026.11.1');
    expect(pin).toEqual({ image: `${REPO}@${v1.digest}`, digest: v1.digest, version: '2026.11.1', lockfile: expect.objectContaining({ state: 'none' }) });
    const pinned = await readFile(path, 'utf8');
    expect(changedLines(original, pinned)).toEqual([7]);
    expect(pinned.split('\n')[7]).toBe(`    "image":   "${REPO}@${v1.digest}", // version: 2026.11.1`);
    expect((await core.projects.open(dir)).pinned).toEqual({ repository: REPO, digest: v1.digest, version: '2026.11.1' });

    expect(await core.imageVersions.unpin(dir)).toEqual({ image: `${REPO}:2026.11.1` });
    expect(await readFile(path, 'utf8')).toBe(original);
  });

  it('pins the newest release when no version is given (not the "latest" channel name)', async () => {
    const { dir } = await project(`${REPO}:2026.11.1`);
    expect(await core.imageVersions.pin(dir)).toEqual({ image: `${REPO}@${v2.digest}`, digest: v2.digest, version: '2026.11.2', lockfile: expect.objectContaining({ state: 'none' }) });
  });

  it('lists versions with digest, date, label, size and pinned/newer flags', async () => {
    const { dir } = await project(`${REPO}:2026.11.1`);
    await core.imageVersions.pin(dir, '2026.11.1');
    const list = await core.imageVersions.versions(dir);
    expect(list.repository).toBe(REPO);
    expect(list.pinnedDigest).toBe(v1.digest);
    expect(list.tagMoved).toBeUndefined();
    const byTag = Object.fromEntries(list.versions.map((v) => [v.tag, v]));
    expect(Object.keys(byTag).sort()).toEqual(['2026.11.1', '2026.11.2', 'latest']);
    expect(byTag['2026.11.1']).toMatchObject({ digest: v1.digest, pinned: true, newer: false, local: false, version: '2026.11.1', created: '2026-11-01T09:00:00Z', sizeBytes: v1.sizeBytes });
    expect(byTag['2026.11.2']).toMatchObject({ digest: v2.digest, pinned: false, newer: true, version: '2026.11.2' });
    expect(list.versions[list.versions.length - 1].tag).toBe('2026.11.1');
  });

  it('lists a version built only for another platform, with its digest but no size', async () => {
    const other: PushTarget = { base: target.base, repository: `${repository}-s390x` };
    const s390x = await pushTinyImage(other, { architecture: 's390x' });
    const index = await pushIndex(other, [{ image: s390x, architecture: 's390x' }]);
    await tag(other, index, ['1.0']);
    const { dir } = await project(`${HOST}/${other.repository}:1.0`);
    const list = await core.imageVersions.versions(dir);
    expect(list.versions).toEqual([{ tag: '1.0', digest: index.digest, pinned: false, newer: false, local: false }]);
  });

  it('describes the newest 100 tags (and the pinned one) of a repository with many', async () => {
    const many: PushTarget = { base: target.base, repository: `${repository}-many` };
    const image = await pushTinyImage(many, { created: '2026-11-01T09:00:00Z' });
    await tag(many, image, Array.from({ length: 105 }, (_, i) => `1.${i}`));
    const { dir } = await project(`${HOST}/${many.repository}:1.0`);
    await core.imageVersions.pin(dir, '1.0');
    const list = await core.imageVersions.versions(dir);
    expect(list.versions).toHaveLength(101);
    expect(list.versions.map((v) => v.tag)).toContain('1.0');
    expect(list.versions.map((v) => v.tag)).not.toContain('1.1');
    expect(list.versions.every((v) => v.digest === image.digest && v.pinned && v.created === '2026-11-01T09:00:00Z')).toBe(true);
  });

  it('reports tagMoved when the pinned tag now points at another digest', async () => {
    const moving: PushTarget = { base: target.base, repository: `${repository}-moving` };
    const v09 = await pushTinyImage(moving, { created: '2026-10-01T09:00:00Z' });
    const v10 = await pushTinyImage(moving, { created: '2026-11-01T09:00:00Z' });
    const v11 = await pushTinyImage(moving, { created: '2026-11-05T09:00:00Z' });
    await tag(moving, v09, ['0.9']);
    await tag(moving, v10, ['1.0']);
    await tag(moving, v11, ['1.1']);
    const { dir } = await project(`${HOST}/${moving.repository}:1.0`);
    await core.imageVersions.pin(dir, '1.0');
    const rebuilt = await pushTinyImage(moving, { created: '2026-11-10T09:00:00Z' });
    await tag(moving, rebuilt, ['1.0']);
    const list = await core.imageVersions.versions(dir);
    expect(list.tagMoved).toEqual({ tag: '1.0', pinnedDigest: v10.digest, currentDigest: rebuilt.digest });
    expect(list.versions.some((v) => v.pinned)).toBe(false);
    // With the pinned digest untagged, versions compare with the version it was pinned as.
    expect(Object.fromEntries(list.versions.map((v) => [v.tag, v.newer]))).toEqual({ '0.9': false, '1.0': false, '1.1': true });
  });

  it('unpins a pin without a version comment to the tag that has the digest', async () => {
    const { dir, path } = await project(`${REPO}@${v1.digest}`);
    expect(await core.imageVersions.unpin(dir)).toEqual({ image: `${REPO}:2026.11.1` });
    expect(await readFile(path, 'utf8')).toContain(`"image":   "${REPO}:2026.11.1",\n`);
  });

  it('pins a digest given directly, after checking the registry has it', async () => {
    const { dir, path } = await project(`${REPO}:2026.11.2`);
    expect(await core.imageVersions.pin(dir, v1.digest)).toEqual({ image: `${REPO}@${v1.digest}`, digest: v1.digest, lockfile: expect.objectContaining({ state: 'none' }) });
    expect(await readFile(path, 'utf8')).toContain(`"image":   "${REPO}@${v1.digest}",\n`);
    const missing = await thrown(() => core.imageVersions.pin(dir, `sha256:${'9'.repeat(64)}`));
    expect(missing.code).toBe('IMAGE_NOT_FOUND');
  });

  it('leaves the file alone when the version does not exist', async () => {
    const { dir, path, original } = await project(`${REPO}:2026.11.1`);
    const error = await thrown(() => core.imageVersions.pin(dir, '2020.1.1'));
    expect(error.code).toBe('TAG_NOT_FOUND');
    expect(error.message).toContain('has no tag "2020.1.1"');
    expect(await readFile(path, 'utf8')).toBe(original);
  });

  it('says IMAGE_NOT_PINNED when the project names no image', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
    await core.projects.create(dir);
    await writeFile(join(dir, '.devcontainer', 'devcontainer.json'), '{ "name": "no image" }');
    expect((await thrown(() => core.imageVersions.pin(dir))).code).toBe('IMAGE_NOT_PINNED');
  });

  it('answers through the handlers with envelopes', async () => {
    const { dir } = await project(`${REPO}:2026.11.2`);
    expect(await dispatch(handlers, 'imagePin', { dir, version: '2026.11.2' })).toEqual({ result: { image: `${REPO}@${v2.digest}`, digest: v2.digest, version: '2026.11.2', lockfile: expect.objectContaining({ state: 'none' }) } });
    expect(await dispatch(handlers, 'imageUnpin', { dir })).toEqual({ result: { image: `${REPO}:2026.11.2` } });
    const missing = await dispatch(handlers, 'projectOpen', { dir: join(dir, 'nope') });
    expect(missing).toMatchObject({ error: { code: 'PROJECT_NOT_FOUND' } });
  });
});

describe('benchtop init / pin / versions / unpin', () => {
  it('works end to end from the command line, with --json', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
    const dir = join(parent, 'cli-project');
    const init = await benchtop(['init', dir, '--image', `${REPO}:2026.11.1`, '--json']);
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ dir, image: `${REPO}:2026.11.1`, pinned: null });

    const pin = await benchtop(['pin', '2026.11.2', '--dir', dir, '--json']);
    expect(JSON.parse(pin.stdout)).toEqual({ image: `${REPO}@${v2.digest}`, digest: v2.digest, version: '2026.11.2', lockfile: expect.objectContaining({ state: 'none' }) });

    const versions = await benchtop(['versions', dir]);
    expect(versions.code).toBe(0);
    expect(versions.stdout).toMatch(new RegExp(`\\*\\s+2026\\.11\\.2\\s+${v2.digest.slice(0, 19)}`));

    const unpin = await benchtop(['unpin', '--dir', dir]);
    expect(unpin.stdout.trim()).toBe(`Image: ${REPO}:2026.11.2`);

    const again = await benchtop(['init', dir, '--json']);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).error.code).toBe('DEVCONTAINER_EXISTS');
  });
});
