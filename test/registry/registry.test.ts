import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noSecretBox } from '../../src/main/core/secrets';
import { hostPlatform } from '../../src/main/core/registry/manifest';
import { RegistryService } from '../../src/main/core/registry/service';
import { thrown } from '../project/support';
import { freePort } from './token-registry';
import { pushIndex, pushTinyImage, tag, type PushTarget, type TinyImage } from './push';

const HOST = '127.0.0.1:5000';
const repository = `bt-test-${randomBytes(4).toString('hex')}/paged`;
const target: PushTarget = { base: `http://${HOST}`, repository };
const TAG_COUNT = 230; // three pages of 100
const tags = Array.from({ length: TAG_COUNT }, (_, i) => `2026.${String(i).padStart(3, '0')}`);

const registry = new RegistryService({
  storedCredentials: () => [],
  secrets: noSecretBox,
  // An empty Docker config: these tests must not depend on who ran `docker login` on this machine.
  env: { ...process.env, DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'bt-test-docker-config-')) },
});

let image: TinyImage;
let amd64: TinyImage;
let arm64: TinyImage;
let index: { digest: string };

beforeAll(async () => {
  image = await pushTinyImage(target, {
    labels: { 'org.opencontainers.image.version': '2026.11.2', 'dev.benchtop.lockfile.sha256': 'f'.repeat(64) },
    created: '2026-11-20T10:00:00Z',
  });
  await tag(target, image, tags);
  amd64 = await pushTinyImage(target, { architecture: 'amd64', labels: { arch: 'amd64' } });
  arm64 = await pushTinyImage(target, { architecture: 'arm64', labels: { arch: 'arm64' } });
  const multi = await pushIndex(target, [{ image: amd64, architecture: 'amd64' }, { image: arm64, architecture: 'arm64', variant: 'v8' }]);
  await tag(target, multi, ['multi']);
  index = multi;
});

afterAll(async () => {
  for (const digest of [index?.digest, image?.digest, amd64?.digest, arm64?.digest].filter(Boolean)) {
    await fetch(`${target.base}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' }).catch(() => undefined);
  }
});

describe('registry client on a real registry', () => {
  it('lists every tag across Link-paginated pages', async () => {
    const listed = await registry.listTags(`${HOST}/${repository}`);
    expect(listed).toHaveLength(TAG_COUNT + 1);
    expect(new Set(listed)).toEqual(new Set([...tags, 'multi']));
  });

  it('resolves a tag to its digest, labels, date, size and platform', async () => {
    const resolved = await registry.resolve(`${HOST}/${repository}:2026.117`);
    expect(resolved).toMatchObject({
      digest: image.digest,
      manifestDigest: image.digest,
      sizeBytes: image.sizeBytes,
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      config: { created: '2026-11-20T10:00:00Z', labels: { 'org.opencontainers.image.version': '2026.11.2', 'dev.benchtop.lockfile.sha256': 'f'.repeat(64) } },
    });
    expect(await registry.digestOf(`${HOST}/${repository}:2026.000`)).toBe(image.digest);
    expect(await registry.imageSize(`${HOST}/${repository}@${image.digest}`)).toBe(image.sizeBytes);
  });

  it('picks this machine\'s platform from a multi-platform index and keeps the index digest as the pin', async () => {
    const resolved = await registry.resolve(`${HOST}/${repository}:multi`);
    const mine = hostPlatform().architecture === 'arm64' ? arm64 : amd64;
    expect(resolved.digest).toBe(index.digest);
    expect(resolved.manifestDigest).toBe(mine.digest);
    expect(resolved.sizeBytes).toBe(mine.sizeBytes);
    expect(resolved.platforms).toEqual([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
    const arm = await registry.resolve(`${HOST}/${repository}@${index.digest}`, { platform: { os: 'linux', architecture: 'arm64' } });
    expect(arm.config.labels.arch).toBe('arm64');
  });

  it('says IMAGE_PLATFORM_MISSING naming the platforms there are', async () => {
    const error = await thrown(() => registry.resolve(`${HOST}/${repository}:multi`, { platform: { os: 'linux', architecture: 's390x' } }));
    expect(error.code).toBe('IMAGE_PLATFORM_MISSING');
    expect(error.message).toContain('has no linux/s390x variant (it has linux/amd64, linux/arm64/v8)');
  });

  it('says TAG_NOT_FOUND for a missing tag and IMAGE_NOT_FOUND for a missing repository or digest', async () => {
    const missingTag = await thrown(() => registry.resolve(`${HOST}/${repository}:1999.1`));
    expect(missingTag.code).toBe('TAG_NOT_FOUND');
    expect(missingTag.message).toBe(`${HOST}/${repository} has no tag "1999.1" on ${HOST}.`);
    expect(missingTag.hint).toContain('benchtop versions');
    expect((await thrown(() => registry.listTags(`${HOST}/${repository}-nope`))).code).toBe('IMAGE_NOT_FOUND');
    expect((await thrown(() => registry.resolve(`${HOST}/${repository}@sha256:${'1'.repeat(64)}`))).code).toBe('IMAGE_NOT_FOUND');
  });

  it('says REGISTRY_UNREACHABLE when nothing listens', async () => {
    const port = await freePort();
    const error = await thrown(() => registry.listTags(`127.0.0.1:${port}/team/analysis`));
    expect(error.code).toBe('REGISTRY_UNREACHABLE');
    expect(error.message).toBe(`The registry 127.0.0.1:${port} cannot be reached (ECONNREFUSED) while reading the tags of 127.0.0.1:${port}/team/analysis.`);
    expect(error.hint).toContain('Check the network');
  });

  it('says DIGEST_MISMATCH when a proxy in between changes a manifest', async () => {
    // A loopback proxy that adds one space to every manifest it passes on, keeping the headers.
    const proxy = createServer(async (req, res) => {
      const upstream = await fetch(`${target.base}${req.url}`, { method: req.method, headers: { Accept: String(req.headers.accept ?? '') } });
      let body = Buffer.from(await upstream.arrayBuffer());
      if (req.url?.includes('/manifests/')) body = Buffer.concat([body, Buffer.from(' ')]);
      const headers = Object.fromEntries([...upstream.headers].filter(([k]) => k !== 'content-length' && k !== 'content-encoding'));
      res.writeHead(upstream.status, headers).end(body);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = `127.0.0.1:${(proxy.address() as { port: number }).port}/${repository}`;
    try {
      const byTag = await thrown(() => registry.resolve(`${proxied}:2026.001`));
      expect(byTag.code).toBe('DIGEST_MISMATCH');
      expect(byTag.message).toContain(`not ${image.digest}`);
      expect(byTag.hint).toContain('Do not use this image');
      expect((await thrown(() => registry.resolve(`${proxied}@${image.digest}`))).code).toBe('DIGEST_MISMATCH');
    } finally {
      proxy.close();
    }
  });

  it('says REGISTRY_ERROR with the registry\'s own words when it fails', async () => {
    const broken = createServer((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"UNKNOWN","message":"filesystem: disk quota exceeded"}]}');
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(broken.address() as { port: number }).port}`;
    try {
      const error = await thrown(() => registry.listTags(`${host}/team/analysis`));
      expect(error.code).toBe('REGISTRY_ERROR');
      expect(error.message).toBe(`${host} answered HTTP 500 UNKNOWN (filesystem: disk quota exceeded) for ${host}/team/analysis.`);
      expect(error.hint).toContain('try again later');
    } finally {
      broken.close();
    }
  });
});
