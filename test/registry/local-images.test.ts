import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import { testCore } from '../project/support';
import { testEnv } from '../support/env';

const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const core = testCore();
const handlers = createHandlers(core);
const name = `bt-test-local-${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  await docker.getImage(`${name}:copy`).remove().catch(() => undefined);
  await core.close();
});

describe('images on this computer', () => {
  it('lists local images with tags, digests, size and date', async () => {
    const env = testEnv();
    const images = await core.imageVersions.localList();
    const latest = images.find((i) => i.repoDigests.includes(`${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`));
    expect(latest?.repoTags).toContain(`${env.registry}/${env.image.repository}:${env.image.latest}`);
    expect(latest?.sizeBytes).toBe(env.image.imageSizeBytes);
    expect(latest?.created).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('removes a tag this test made, and refuses an image that is not there', async () => {
    const env = testEnv();
    await docker.getImage(`${env.registry}/${env.image.repository}:${env.image.latest}`).tag({ repo: name, tag: 'copy' });
    expect(await dispatch(handlers, 'imageRemoveLocal', { ref: `${name}:copy` })).toEqual({ result: { removed: [`${name}:copy`] } });
    expect((await core.imageVersions.localList()).some((i) => i.repoTags.includes(`${name}:copy`))).toBe(false);
    expect(await dispatch(handlers, 'imageRemoveLocal', { ref: `${name}:copy` })).toMatchObject({ error: { code: 'IMAGE_NOT_FOUND', message: `There is no image ${name}:copy on this computer.` } });
  });
});
