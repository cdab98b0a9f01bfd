import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretBox } from '../../src/main/core/secrets';
import { runCredentialHelper } from '../../src/main/core/registry/cred-helper';
import { RegistryService } from '../../src/main/core/registry/service';
import { RegistryTransport } from '../../src/main/core/registry/transport';
import type { RegistryCredential } from '../../src/main/core/settings/schema';
import { thrown } from '../project/support';
import { testEnv } from '../support/env';
import { pushTinyImage, tag, type TinyImage } from './push';
import { startTokenRegistry, type TokenRegistry } from './token-registry';

const REPO = 'team/private';
let reg: TokenRegistry;
let image: TinyImage;

/** A folder with a Docker config.json and (optionally) credential helpers on PATH. */
function dockerEnv(config: object, helpers: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-docker-config-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  for (const [name, script] of Object.entries(helpers)) {
    writeFileSync(join(dir, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`);
    chmodSync(join(dir, `docker-credential-${name}`), 0o755);
  }
  return { ...process.env, DOCKER_CONFIG: dir, PATH: `${dir}:${process.env.PATH}` };
}

function client(env: NodeJS.ProcessEnv, stored: RegistryCredential[] = [], secrets?: SecretBox): RegistryService {
  const box: SecretBox = secrets ?? { available: false, encrypt: () => '', decrypt: () => '' };
  return new RegistryService({ storedCredentials: () => stored, secrets: box, env });
}

/** A helper that knows one server, and answers as the protocol says for any other. */
const helperFor = (server: string, user: string, secret: string) =>
  `read server\nif [ "$server" = "${server}" ]; then printf '{"ServerURL":"%s","Username":"${user}","Secret":"${secret}"}' "$server"; else echo "credentials not found in native keychain"; exit 1; fi`;

beforeAll(async () => {
  reg = await startTokenRegistry();
  const target = { base: reg.base, repository: REPO, authorization: `Bearer ${reg.adminToken(REPO)}` };
  image = await pushTinyImage(target, { labels: { 'org.opencontainers.image.version': '1.0' } });
  await tag(target, image, ['1.0']);
});

afterAll(async () => {
  await reg?.stop();
});

describe('bearer token challenge (auth: token registry)', () => {
  it('gets a token from the realm with service, scope and the login from config.json auths', async () => {
    const auth = Buffer.from(`${reg.username}:${reg.password}`).toString('base64');
    const registry = client(dockerEnv({ auths: { [`http://${reg.host}`]: { auth } } }));
    reg.requests.length = 0;
    expect(await registry.listTags(`${reg.host}/${REPO}`)).toEqual(['1.0']);
    expect((await registry.resolve(`${reg.host}/${REPO}:1.0`)).digest).toBe(image.digest);
    expect(reg.requests[0]).toEqual({ service: reg.service, scope: `repository:${REPO}:pull`, user: reg.username });
    expect(await registry.credentialsFor(reg.host)).toEqual({ username: reg.username, password: reg.password, serveraddress: reg.host, source: '~/.docker/config.json' });
  });

  it('says REGISTRY_AUTH_FAILED when no login is stored for a private repository', async () => {
    const error = await thrown(() => client(dockerEnv({})).listTags(`${reg.host}/${REPO}`));
    expect(error.code).toBe('REGISTRY_AUTH_FAILED');
    expect(error.message).toContain(`The registry ${reg.host} rejected an anonymous request`);
    expect(error.hint).toContain(`docker login ${reg.host}`);
  });

  it('says REGISTRY_AUTH_FAILED naming the login the token service refused', async () => {
    const auth = Buffer.from(`${reg.username}:wrong`).toString('base64');
    const error = await thrown(() => client(dockerEnv({ auths: { [reg.host]: { auth } } })).resolve(`${reg.host}/${REPO}:1.0`));
    expect(error.code).toBe('REGISTRY_AUTH_FAILED');
    expect(error.message).toContain(`refused the login of ${reg.username} (from ~/.docker/config.json)`);
  });

  it('uses credHelpers[host] by running docker-credential-<name> get', async () => {
    const env = dockerEnv({ credHelpers: { [reg.host]: 'bttest' } }, { bttest: helperFor(reg.host, reg.username, reg.password) });
    const registry = client(env);
    expect(await registry.listTags(`${reg.host}/${REPO}`)).toEqual(['1.0']);
    expect(await registry.credentialsFor(reg.host)).toMatchObject({ username: reg.username, source: 'docker-credential-bttest' });
  });

  it('uses the credsStore, and falls back to anonymous when it has nothing for the host', async () => {
    const env = dockerEnv({ credsStore: 'bttest' }, { bttest: helperFor(reg.host, reg.username, reg.password) });
    expect((await client(env).resolve(`${reg.host}/${REPO}:1.0`)).config.labels['org.opencontainers.image.version']).toBe('1.0');
    expect(await client(env).credentialsFor('other.example.com')).toBeUndefined();
  });

  it('prefers Benchtop\'s own stored login (password unsealed by the secret box)', async () => {
    const box: SecretBox = { available: true, encrypt: (p) => `sealed:${Buffer.from(p).toString('base64')}`, decrypt: (s) => Buffer.from(s.slice(7), 'base64').toString() };
    const stored = [{ registry: reg.host, username: reg.username, sealedPassword: box.encrypt(reg.password) }];
    const env = dockerEnv({ auths: { [reg.host]: { auth: Buffer.from('someone:else').toString('base64') } } });
    const registry = client(env, stored, box);
    expect(await registry.listTags(`${reg.host}/${REPO}`)).toEqual(['1.0']);
    expect(await registry.credentialsFor(reg.host)).toMatchObject({ username: reg.username, source: 'Benchtop settings' });
  });
});

describe('credential helpers', () => {
  it('says CREDENTIAL_HELPER_FAILED when the helper is not installed', async () => {
    const error = await thrown(() => client(dockerEnv({ credHelpers: { [reg.host]: 'bt-test-missing' } })).listTags(`${reg.host}/${REPO}`));
    expect(error.code).toBe('CREDENTIAL_HELPER_FAILED');
    expect(error.message).toContain('docker-credential-bt-test-missing is not installed');
  });

  it('says CREDENTIAL_HELPER_FAILED when the helper hangs or fails', async () => {
    const env = dockerEnv({}, { hang: 'sleep 30', broken: 'echo "keychain locked" >&2; exit 3' });
    const hang = await thrown(() => runCredentialHelper('hang', 'example.com', env, 300));
    expect(hang.code).toBe('CREDENTIAL_HELPER_FAILED');
    expect(hang.message).toContain('no answer within 0.3 s');
    const broken = await thrown(() => runCredentialHelper('broken', 'example.com', env));
    expect(broken.message).toContain('exit 3: keychain locked');
    // `<token>` as the user name means an identity token, which pulls pass as identitytoken.
    const registry = client(dockerEnv({ credsStore: 'token' }, { token: `printf '{"Username":"<token>","Secret":"refresh-123"}'` }));
    expect(await registry.credentialsFor('docker.io')).toEqual({ username: '', password: '', identitytoken: 'refresh-123', serveraddress: 'https://index.docker.io/v1/', source: 'docker-credential-token' });
  });
});

describe('basic auth (the htpasswd test registry)', () => {
  const repo = () => `${testEnv().authRegistry.address}/${testEnv().image.repository}`;
  const withLogin = (password: string) => {
    const { address, username } = testEnv().authRegistry;
    return client(dockerEnv({ auths: { [address]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } }));
  };

  it('reads tags and labels of the analysis image with the login from config.json', async () => {
    const env = testEnv();
    const registry = withLogin(env.authRegistry.password);
    expect((await registry.listTags(repo())).sort()).toEqual(Object.keys(env.image.versions).sort());
    const resolved = await registry.resolve(`${repo()}:${env.image.latest}`);
    expect(resolved.digest).toBe(env.image.versions[env.image.latest].digest);
    expect(resolved.config.labels['dev.benchtop.lockfile.sha256']).toBe(env.image.lockfileSha256);
    expect(resolved.config.labels['org.opencontainers.image.version']).toBe(env.image.latest);
  });

  it('says REGISTRY_AUTH_FAILED when no login is stored, and when the password is wrong', async () => {
    const none = await thrown(() => client(dockerEnv({})).listTags(repo()));
    expect(none.code).toBe('REGISTRY_AUTH_FAILED');
    expect(none.message).toContain(`The registry ${testEnv().authRegistry.address} asks for a login`);
    const wrong = await thrown(() => withLogin('not-the-password').listTags(repo()));
    expect(wrong.code).toBe('REGISTRY_AUTH_FAILED');
    expect(wrong.message).toContain(`rejected the login ${testEnv().authRegistry.username} from ~/.docker/config.json`);
  });
});

describe('where logins and registries are looked up', () => {
  it('finds a Docker Hub login under the v1 URL Docker stores it as, and a host stored as a URL', async () => {
    const hub = Buffer.from('hubuser:hubpass').toString('base64');
    const other = Buffer.from('me:secret').toString('base64');
    const registry = client(dockerEnv({ auths: { 'https://index.docker.io/v1/': { auth: hub }, 'https://registry.example.com/v2/': { auth: other } } }));
    expect(await registry.credentialsFor('docker.io')).toMatchObject({ username: 'hubuser', password: 'hubpass', serveraddress: 'https://index.docker.io/v1/' });
    expect(await registry.credentialsFor('registry.example.com')).toMatchObject({ username: 'me', password: 'secret', serveraddress: 'registry.example.com' });
    expect(await registry.credentialsFor('registry.example.org')).toBeUndefined();
  });

  it('speaks http to loopback and listed insecure registries, https to the rest (Docker Hub via registry-1)', () => {
    const transport = new RegistryTransport({ credentialsFor: async () => undefined, insecureRegistries: () => ['build-box.lan:5000'] });
    expect(transport.baseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(transport.baseUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(transport.baseUrl('build-box.lan:5000')).toBe('http://build-box.lan:5000');
    expect(transport.baseUrl('ghcr.io')).toBe('https://ghcr.io');
    expect(transport.baseUrl('docker.io')).toBe('https://registry-1.docker.io');
  });
});
