import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets';
import type { RegistryCredential } from '../settings/schema';
import { runCredentialHelper } from './cred-helper';
import { authKeyHost, isDockerHub, readDockerConfig, serverAddressFor } from './docker-config';

/**
 * A registry login in the shape of Docker's authconfig (the X-Registry-Auth of a pull), so the
 * session/pull code hands it to dockerode as is. With an identity token, username/password are empty.
 */
export interface DockerAuthConfig {
  username: string;
  password: string;
  serveraddress: string;
  identitytoken?: string;
}

export interface ResolvedCredentials extends DockerAuthConfig {
  /** Where it came from, for messages: `Benchtop settings`, `~/.docker/config.json`, `docker-credential-pass`. */
  source: string;
}

export interface CredentialSources {
  stored: () => RegistryCredential[];
  secrets: SecretBox;
  env: NodeJS.ProcessEnv;
  log?: Logger;
}

function sameHost(a: string, b: string): boolean {
  return authKeyHost(a) === authKeyHost(b);
}

function fromHelper(host: string, username: string, secret: string, source: string): ResolvedCredentials {
  // Helpers answer `<token>` as the user name when the secret is an identity (refresh) token.
  return username === '<token>'
    ? { username: '', password: '', identitytoken: secret, serveraddress: serverAddressFor(host), source }
    : { username, password: secret, serveraddress: serverAddressFor(host), source };
}

/**
 * The login for a registry host, looked up where people keep them: Benchtop's own (password sealed
 * by the OS keychain), then the Docker CLI's config — `credHelpers[host]`, the `credsStore`, and
 * plain `auths` entries. Undefined means "try anonymously".
 */
export async function credentialsFor(host: string, sources: CredentialSources): Promise<ResolvedCredentials | undefined> {
  const stored = sources.stored().find((c) => sameHost(c.registry, host));
  if (stored && sources.secrets.available) {
    return { username: stored.username, password: sources.secrets.decrypt(stored.sealedPassword), serveraddress: serverAddressFor(host), source: 'Benchtop settings' };
  }

  const config = await readDockerConfig(sources.env, sources.log);
  const server = serverAddressFor(host);
  const helperName = Object.entries(config.credHelpers).find(([key]) => sameHost(key, host))?.[1];
  if (helperName) {
    const found = await runCredentialHelper(helperName, server, sources.env);
    return found ? fromHelper(host, found.username, found.secret, `docker-credential-${helperName}`) : undefined;
  }
  if (config.credsStore) {
    const found = await runCredentialHelper(config.credsStore, server, sources.env);
    if (found) return fromHelper(host, found.username, found.secret, `docker-credential-${config.credsStore}`);
  }
  const entry = Object.entries(config.auths).find(([key]) => sameHost(key, host) || (isDockerHub(host) && isDockerHub(authKeyHost(key))))?.[1];
  if (!entry) return undefined;
  const source = '~/.docker/config.json';
  if (entry.identitytoken) return { username: '', password: '', identitytoken: entry.identitytoken, serveraddress: server, source };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: server, source };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password, serveraddress: server, source };
  return undefined;
}
