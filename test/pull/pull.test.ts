import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import type { Core } from '../../src/main/core/core';
import { docker, env, eventually, makeCore, opId, record } from '../session/support';
import { startRegistryProxy } from './registry-proxy';
import { deleteFromRegistry, pushUniqueImage, removeLocal, type UniqueImage } from './support';

const MB = 1024 * 1024;

describe('pulling the pinned image', () => {
  let core: Core;
  let image: UniqueImage;
  let other: UniqueImage;
  /** Never pulled here: a digest the engine has seen before it may not fetch again. */
  let untouched: UniqueImage;

  beforeAll(async () => {
    core = makeCore();
    const name = `pull-${Date.now().toString(36)}`;
    image = await pushUniqueImage(name, 3, 24 * MB);
    other = await pushUniqueImage(`${name}-other`, 1, 1 * MB);
    untouched = await pushUniqueImage(`${name}-untouched`, 1, 1 * MB);
  });

  afterAll(async () => {
    for (const i of [image, other, untouched]) {
      await removeLocal(i.ref);
      await deleteFromRegistry(i);
    }
    await core.close();
  });

  it('downloads by digest with aggregated progress, verifies the digest, and skips it the second time', async () => {
    const progress = record(core, 'pullProgress');
    const handlers = createHandlers(core);
    const op = opId();
    const first = await handlers.imagePull({ opId: op, ref: image.ref });
    expect(first).toEqual({ digest: image.digest, skipped: false });

    const mine = progress.filter((p) => p.opId === op);
    const downloading = mine.filter((p) => p.phase === 'downloading');
    expect(downloading.length).toBeGreaterThanOrEqual(1);
    // Bytes only grow, and the total covers the three random layers.
    for (let i = 1; i < mine.length; i += 1) expect(mine[i].bytesDone).toBeGreaterThanOrEqual(mine[i - 1].bytesDone);
    const last = mine.at(-1);
    expect(last).toMatchObject({ phase: 'done', layersDone: 3, layersTotal: 3 });
    expect(last?.bytesDone).toBeGreaterThanOrEqual(72 * MB);
    expect(last?.bytesTotal).toBe(last?.bytesDone);
    expect(mine.some((p) => p.rate > 0)).toBe(true);
    expect((await docker.getImage(image.ref).inspect()).RepoDigests).toContain(image.ref);

    const second = await handlers.imagePull({ opId: opId(), ref: image.ref });
    expect(second).toEqual({ digest: image.digest, skipped: true });
  });

  it('cancels a running pull and leaves no image behind', async () => {
    await removeLocal(image.ref);
    const progress = record(core, 'pullProgress');
    const op = opId();
    const pulling = core.ops.run(op, (o) => core.sessions.pulls.pull('local', image.ref, o));
    await eventually(() => progress.some((p) => p.opId === op && p.bytesDone > 0));
    expect(core.ops.cancel(op)).toBe(true);
    await expect(pulling).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(docker.getImage(image.ref).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('IMAGE_NOT_FOUND when the registry has no such digest', async () => {
    const ref = `${image.repository}@sha256:${'1'.repeat(64)}`;
    await expect(core.sessions.pulls.pull('local', ref, core.ops.create(opId()))).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
  });

  it('DIGEST_MISMATCH when the registry answers with another image’s manifest', async () => {
    const repository = other.repository.split('/').slice(1).join('/');
    const proxy = await startRegistryProxy(env().registry, 'swap-manifest', { repository, digest: other.digest });
    const ref = `${proxy.address}/${untouched.repository.split('/').slice(1).join('/')}@${untouched.digest}`;
    try {
      const error = await core.sessions.pulls.pull('local', ref, core.ops.create(opId())).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DIGEST_MISMATCH' });
      expect((error as Error).message).toContain(untouched.digest);
    } finally {
      await removeLocal(ref);
      await proxy.close();
    }
  });

  it('PULL_FAILED with the engine’s words when the registry fails mid-pull (an error line in an HTTP 200 stream)', async () => {
    const proxy = await startRegistryProxy(env().registry, 'broken-blobs');
    try {
      const ref = `${proxy.address}/${other.repository.split('/').slice(1).join('/')}@${other.digest}`;
      await removeLocal(other.ref);
      const error = await core.sessions.pulls.pull('local', ref, core.ops.create(opId())).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'PULL_FAILED' });
      expect((error as Error).message).toMatch(/500|Internal Server Error|unexpected/i);
    } finally {
      await proxy.close();
    }
  });

  it('DISK_FULL before pulling when the registry’s size cannot fit where the engine keeps images', async () => {
    await removeLocal(image.ref);
    const real = core.sessions.pulls.registry;
    // The registry's answer is the one thing swapped: no loopback registry can serve a petabyte image.
    core.sessions.pulls.registry = { credentialsFor: (h) => real.credentialsFor(h), imageSize: async () => 1e15 };
    try {
      const error = await core.sessions.pulls.pull('local', image.ref, core.ops.create(opId())).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DISK_FULL' });
      expect((error as Error).message).toMatch(/needs about 2000000\.0 GB but only [\d.]+ GB is free at \/var\/lib\/docker/);
    } finally {
      core.sessions.pulls.registry = real;
    }
  });

  it('pulls from the registry that needs a login with the `docker login` credentials, and says REGISTRY_AUTH_FAILED without them', async () => {
    const auth = env().authRegistry;
    const login = { username: auth.username, password: auth.password };
    const locked = await pushUniqueImage(`pull-auth-${Date.now().toString(36)}`, 1, 2 * MB, auth.address, login);
    const dockerConfig = mkdtempSync(join(tmpdir(), 'bt-test-docker-config-'));
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [auth.address]: { auth: Buffer.from(`${auth.username}:${auth.password}`).toString('base64') } } }));
    const anonymous = makeCore({ env: { ...process.env, DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'bt-test-empty-')) } });
    const loggedIn = makeCore({ env: { ...process.env, DOCKER_CONFIG: dockerConfig } });
    try {
      await expect(anonymous.sessions.pulls.pull('local', locked.ref, anonymous.ops.create(opId()))).rejects.toMatchObject({ code: 'REGISTRY_AUTH_FAILED' });
      expect(await loggedIn.sessions.pulls.pull('local', locked.ref, loggedIn.ops.create(opId()))).toMatchObject({ digest: locked.digest, skipped: false });
    } finally {
      await removeLocal(locked.ref);
      await deleteFromRegistry(locked, login);
      await Promise.all([anonymous.close(), loggedIn.close()]);
    }
  });
});
