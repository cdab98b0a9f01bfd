/**
 * The update decision in plain Node, against a real local HTTP server serving the channel file the
 * way an electron-builder generic feed does; the restart waits for syncs and moves.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { Core } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { silentLogger } from '../../src/main/core/log/logger';
import { compareVersions, parseChannelFile } from '../../src/main/core/updates/feed';
import { UpdateService } from '../../src/main/core/updates/service';
import { BENCHTOP_VERSION } from '../../src/main/core/version';

const channel = (version: string) => `version: ${version}\nfiles:\n  - url: Benchtop-${version}.AppImage\n    sha512: abc==\n    size: 1\npath: Benchtop-${version}.AppImage\nsha512: abc==\nreleaseDate: '2026-12-01T10:00:00.000Z'\n`;

describe('update feed', () => {
  let server: Server;
  let base: string;
  let served = channel('9.9.9');
  const requested: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url === '/benchtop/latest-linux.yml') res.writeHead(200, { 'content-type': 'text/yaml' }).end(served);
      else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/benchtop`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  const service = (url: string | undefined, busy: () => string[] = () => []) =>
    new UpdateService({ version: '1.2.3', platform: 'linux', log: silentLogger, busy, feed: async () => (url ? { url, from: 'test' } : undefined) });

  it('orders versions as semver does', () => {
    expect(compareVersions('1.2.4', '1.2.3')).toBe(1);
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
    expect(compareVersions('1.2.3-beta.2', '1.2.3')).toBe(-1);
    expect(compareVersions('1.2.3-beta.10', '1.2.3-beta.2')).toBe(1);
    expect(compareVersions('2.0.0', '10.0.0')).toBe(-1);
  });

  it('offers a newer version from the feed', async () => {
    served = channel('1.3.0');
    const answer = await service(base).check();
    expect(answer).toMatchObject({ current: '1.2.3', latest: '1.3.0', available: true, configured: true, releaseDate: '2026-12-01T10:00:00.000Z' });
    expect(requested.at(-1)).toBe('/benchtop/latest-linux.yml');
  });

  it('offers nothing when the feed has this version or an older one', async () => {
    served = channel('1.2.3');
    expect((await service(base).check()).available).toBe(false);
    served = channel('1.2.3-rc.1');
    expect((await service(base).check()).available).toBe(false);
  });

  it('says nothing is configured without a URL, and refuses a non-https one', async () => {
    expect(await service(undefined).check()).toEqual({ current: '1.2.3', available: false, configured: false });
    const error = await service('http://updates.example.com/').check().then(() => null, (e: unknown) => e as { code: string });
    expect(error?.code).toBe('UPDATE_CHECK_FAILED');
  });

  it('a broken feed is UPDATE_CHECK_FAILED with what was wrong', async () => {
    served = 'name: not a channel file\n';
    await expect(service(base).check()).rejects.toMatchObject({ code: 'UPDATE_CHECK_FAILED', message: expect.stringMatching(/no valid "version:"/) });
    await expect(service(`${base}/missing`).check()).rejects.toMatchObject({ code: 'UPDATE_CHECK_FAILED', message: expect.stringMatching(/HTTP 404/) });
    expect(() => parseChannelFile("version: '2.0.0'\n", 'x')).not.toThrow();
  });

  it('never restarts while a sync or a move runs; restarts once they finish', async () => {
    const running = [['a notebook sync', 'a session move'], ['a session move'], []];
    let asked = 0;
    const updates = service(base, () => running[Math.min(asked++, running.length - 1)] ?? []);
    expect(updates.restartNow()).toEqual({ allowed: false, waitingFor: ['a notebook sync', 'a session move'] });
    await updates.whenIdle();
    expect(asked).toBe(3);
  });

  it('the core takes the URL from your settings, else from the team file, and reports its own syncs and moves', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bt-updates-'));
    const settings = openConfSettings(home);
    const core = new Core({ settings, shell: 'cli' });
    try {
      const api = createHandlers(core);
      expect(await api.updateCheck()).toMatchObject({ configured: false, current: BENCHTOP_VERSION });
      writeFileSync(join(home, 'team.json'), JSON.stringify({ updateUrl: base }));
      settings.set('team', join(home, 'team.json'));
      served = channel('99.0.0');
      expect(await api.updateCheck()).toMatchObject({ available: true, latest: '99.0.0', from: join(home, 'team.json') });
      settings.set('updateUrl', `${base}/`);
      expect(await api.updateCheck()).toMatchObject({ from: 'your settings' });
      expect(await api.updateRestartCheck()).toEqual({ allowed: true, waitingFor: [] });
    } finally {
      await core.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
