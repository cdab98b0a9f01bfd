import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointFromHost } from '../../src/main/core/engine/endpoint';
import { EngineService } from '../../src/main/core/engine/service';

describe('engine service against the real engine', () => {
  it('reports the engine, how it was found, its API version, storage driver and runtimes', async () => {
    const engines = new EngineService();
    const info = await engines.info();
    expect(info.target).toBe('local');
    expect(info.engineKind).toBe('docker');
    expect(info.apiVersion).toMatch(/^1\.\d+$/);
    expect(info.storageDriver).not.toBe('unknown');
    expect(info.runtimes).toContain('runc');
    expect(info.endpoint.source).toMatch(/DOCKER_HOST|socket|context/);
  });

  it('keeps one client per target', async () => {
    const engines = new EngineService();
    expect(await engines.docker()).toBe(await engines.docker('local'));
  });

  it('says which endpoint it tried when nothing listens', async () => {
    const dead = join(mkdtempSync(join(tmpdir(), 'bt-test-')), 'nothing.sock');
    const engines = new EngineService({ resolveLocal: () => endpointFromHost(`unix://${dead}`, 'DOCKER_HOST') });
    await expect(engines.info()).rejects.toMatchObject({
      code: 'ENGINE_UNREACHABLE',
      message: expect.stringContaining(dead),
      hint: expect.stringContaining('Start Docker'),
    });
  });

  describe('an engine that accepts and never answers', () => {
    const sock = join(mkdtempSync(join(tmpdir(), 'bt-test-')), 'hang.sock');
    let server: Server;
    afterAll(() => server?.close());

    it('fails with ENGINE_TIMEOUT instead of hanging', async () => {
      server = createServer(() => undefined);
      await new Promise<void>((resolve) => server.listen(sock, resolve));
      const engines = new EngineService({
        resolveLocal: () => endpointFromHost(`unix://${sock}`, 'DOCKER_HOST'),
        requestTimeoutMs: 800,
      });
      await expect(engines.info()).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT', message: expect.stringContaining(sock) });
    });
  });

  it('refuses an unknown remote target with a clear code', async () => {
    await expect(new EngineService().info('gpu-box')).rejects.toMatchObject({ code: 'HOST_NOT_FOUND' });
  });
});

describe('engine error mapping', () => {
  it('tells a dropped SSH link apart from a stopped local engine', async () => {
    const { engineError } = await import('../../src/main/core/engine/errors');
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const remote = engineError(reset, { kind: 'ssh', address: 'ana@gpu-box:22', source: 'host:gpu-box' });
    expect(remote.code).toBe('ENGINE_UNREACHABLE');
    expect(remote.hint).toMatch(/benchtop host test/);
    expect(remote.hint).not.toMatch(/Start Docker/);
    const local = engineError(reset, { kind: 'unix', address: '/var/run/docker.sock', source: 'Docker socket' });
    expect(local.hint).toMatch(/Start Docker/);
  });
});
