import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log/logger';

/** The parts of ~/.docker/config.json that say how to log in to registries. */
export interface DockerConfigAuth {
  auths: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers: Record<string, string>;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

/** Reads the Docker CLI's config; a missing or unreadable file means "no logins", never a failure. */
export async function readDockerConfig(env: NodeJS.ProcessEnv, log?: Logger): Promise<DockerConfigAuth> {
  const empty: DockerConfigAuth = { auths: {}, credHelpers: {} };
  let text: string;
  try {
    text = await readFile(dockerConfigPath(env), 'utf8');
  } catch {
    // Missing (the usual case without `docker login`) or unreadable: no logins from here.
    return empty;
  }
  try {
    const parsed = JSON.parse(text) as Partial<DockerConfigAuth> | null;
    return {
      auths: typeof parsed?.auths === 'object' && parsed.auths ? parsed.auths : {},
      credsStore: typeof parsed?.credsStore === 'string' && parsed.credsStore ? parsed.credsStore : undefined,
      credHelpers: typeof parsed?.credHelpers === 'object' && parsed.credHelpers ? parsed.credHelpers : {},
    };
  } catch (error) {
    // A broken file must not stop a pull that needs no login; it is logged, as Docker itself warns.
    log?.warn(`${dockerConfigPath(env)} is not valid JSON; its registry logins are not used`, { error });
    return empty;
  }
}

/** Docker Hub logins are stored under its old v1 URL; everything else under the host (maybe as a URL). */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export function isDockerHub(host: string): boolean {
  return HUB_ALIASES.has(host);
}

/** The host part of an `auths` key such as `https://127.0.0.1:5001/v2/` or `127.0.0.1:5001`. */
export function authKeyHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0].toLowerCase();
  return isDockerHub(host) ? 'docker.io' : host;
}

/** The server name Docker uses for a host in config.json and towards credential helpers. */
export function serverAddressFor(host: string): string {
  return isDockerHub(host) ? DOCKER_HUB_AUTH_KEY : host;
}
