import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import { Core } from '../../src/main/core/core';
import { BenchtopError } from '../../src/main/core/errors';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { BENCHTOP_VERSION } from '../../src/main/core/version';
import { INVOKE_CHANNELS } from '../../src/shared/channels';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const core = () => new Core({ settings: openConfSettings(mkdtempSync(join(tmpdir(), 'bt-test-core-'))), shell: 'cli' });

describe('handlers and envelopes', () => {
  it('the core answers every channel of the contract', () => {
    expect(Object.keys(createHandlers(core())).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('wraps results and errors in envelopes; unknown channels are refused', async () => {
    const handlers = createHandlers(core());
    expect(await dispatch(handlers, 'settingsGet', undefined)).toMatchObject({ result: { defaultTarget: 'local' } });
    expect(await dispatch(handlers, 'settingsSet', { idleMinutes: -5 })).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
    expect(await dispatch(handlers, 'runShell', {})).toMatchObject({ error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await dispatch(handlers, 'openExternal', { url: 'file:///etc/passwd' })).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
  });

  it('refuses to store a registry password without encrypted storage', async () => {
    const c = core();
    const answer = await dispatch(createHandlers(c), 'credentialSet', { registry: 'r.example', username: 'u', password: 'p' });
    expect(answer).toMatchObject({ error: { code: 'SECRET_STORAGE_UNAVAILABLE' } });
    expect(c.settings.get('registryCredentials')).toEqual([]);
  });

  it('stores only sealed passwords when a secret box exists (saved unchecked; the sign-in check is in test/registry/login-check.test.ts)', async () => {
    const c = new Core({
      settings: openConfSettings(mkdtempSync(join(tmpdir(), 'bt-test-core-'))),
      shell: 'cli',
      secrets: { available: true, encrypt: (s) => Buffer.from(`sealed:${s}`).toString('base64'), decrypt: (s) => s },
    });
    const answer = await dispatch(createHandlers(c), 'credentialSet', { registry: 'r.example', username: 'u', password: 'hunter2', unchecked: true });
    expect(answer).toMatchObject({ result: { registryCredentials: [{ registry: 'r.example', username: 'u', check: { state: 'not-checked' } }] } });
    expect(JSON.stringify(answer)).not.toContain('hunter2');
    expect(readFileSync(c.settings.path, 'utf8')).not.toContain('hunter2');
  });

  it('keeps BenchtopError codes and hints intact', async () => {
    const handlers = { ...createHandlers(core()), appInfo: () => { throw new BenchtopError('DISK_FULL', 'Disk full', 'Free 2 GB'); } };
    expect(await dispatch(handlers, 'appInfo', undefined)).toEqual({ error: { code: 'DISK_FULL', message: 'Disk full', hint: 'Free 2 GB' } });
  });

  it('the version stamped on sessions matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(BENCHTOP_VERSION).toBe(pkg.version);
  });
});
