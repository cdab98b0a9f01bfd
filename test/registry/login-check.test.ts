import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import { Core } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { testEnv } from '../support/env';
import { startTokenRegistry, type TokenRegistry } from './token-registry';

/** A core with a working secret box and an empty Docker config (no `docker login` of this machine may answer). */
function core(): Core {
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-login-'));
  return new Core({
    settings: openConfSettings(dir),
    shell: 'cli',
    env: { ...process.env, DOCKER_CONFIG: join(dir, 'docker') },
    secrets: { available: true, encrypt: (s) => Buffer.from(s).toString('base64'), decrypt: (s) => Buffer.from(s, 'base64').toString('utf8') },
  });
}

describe('registry logins are signed in with before they are saved (real password registry)', () => {
  it('saves a login the registry accepts, marked signed in', async () => {
    const { authRegistry } = testEnv();
    const c = core();
    const answer = await dispatch(createHandlers(c), 'credentialSet', { registry: authRegistry.address, username: authRegistry.username, password: authRegistry.password });
    expect(answer).toMatchObject({ result: { registryCredentials: [{ registry: authRegistry.address, username: authRegistry.username, check: { state: 'signed-in' } }] } });
    expect(readFileSync(c.settings.path, 'utf8')).not.toContain(authRegistry.password);
  });

  it('refuses a wrong password with REGISTRY_AUTH_FAILED and saves nothing', async () => {
    const { authRegistry } = testEnv();
    const c = core();
    const answer = await dispatch(createHandlers(c), 'credentialSet', { registry: authRegistry.address, username: authRegistry.username, password: 'not-the-password' });
    expect(answer).toMatchObject({ error: { code: 'REGISTRY_AUTH_FAILED' } });
    if (!('error' in answer)) throw new Error('expected an error');
    expect(answer.error.message).toContain(authRegistry.username);
    expect(answer.error.message).toContain('not saved');
    expect(answer.error.hint).toMatch(/\S/);
    expect(c.settings.get('registryCredentials')).toEqual([]);
  });

  it('an unreachable registry answers REGISTRY_UNREACHABLE; saved unchecked, the login is checked again on request', async () => {
    const { authRegistry } = testEnv();
    const c = core();
    const handlers = createHandlers(c);
    // Port 1 on loopback: nothing listens there.
    const gone = await dispatch(handlers, 'credentialSet', { registry: '127.0.0.1:1', username: 'u', password: 'p' });
    expect(gone).toMatchObject({ error: { code: 'REGISTRY_UNREACHABLE' } });
    expect(c.settings.get('registryCredentials')).toEqual([]);

    const saved = await dispatch(handlers, 'credentialSet', { registry: authRegistry.address, username: authRegistry.username, password: authRegistry.password, unchecked: true });
    expect(saved).toMatchObject({ result: { registryCredentials: [{ check: { state: 'not-checked' } }] } });
    const checked = await dispatch(handlers, 'credentialCheck', { registry: authRegistry.address });
    expect(checked).toMatchObject({ result: { registryCredentials: [{ registry: authRegistry.address, check: { state: 'signed-in' } }] } });
  });

  it('a saved login the registry now refuses stays saved, and the check says why', async () => {
    const { authRegistry } = testEnv();
    const c = core();
    const handlers = createHandlers(c);
    await dispatch(handlers, 'credentialSet', { registry: authRegistry.address, username: authRegistry.username, password: 'wrong', unchecked: true });
    expect(await dispatch(handlers, 'credentialCheck', { registry: authRegistry.address })).toMatchObject({ error: { code: 'REGISTRY_AUTH_FAILED' } });
    expect(c.settings.get('registryCredentials')).toMatchObject([{ registry: authRegistry.address, check: { state: 'not-checked' } }]);
  });

  it('a registry that lets anyone in says so instead of claiming a sign-in', async () => {
    const { registry } = testEnv();
    const c = core();
    const answer = await dispatch(createHandlers(c), 'credentialSet', { registry, username: 'anyone', password: 'anything' });
    expect(answer).toMatchObject({ result: { registryCredentials: [{ registry, check: { state: 'no-login-asked' } }] } });
  });
});

describe('registry logins against a token-service registry (the Docker Hub flow)', () => {
  let reg: TokenRegistry;
  beforeAll(async () => {
    reg = await startTokenRegistry();
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('signs in through the token service, and a wrong password is refused there and not saved', async () => {
    const c = core();
    const handlers = createHandlers(c);
    const wrong = await dispatch(handlers, 'credentialSet', { registry: reg.host, username: reg.username, password: 'wrong' });
    expect(wrong).toMatchObject({ error: { code: 'REGISTRY_AUTH_FAILED' } });
    expect(c.settings.get('registryCredentials')).toEqual([]);
    const right = await dispatch(handlers, 'credentialSet', { registry: reg.host, username: reg.username, password: reg.password });
    expect(right).toMatchObject({ result: { registryCredentials: [{ registry: reg.host, check: { state: 'signed-in' } }] } });
    expect(reg.requests.at(-1)).toMatchObject({ service: reg.service, user: reg.username });
  });
});
