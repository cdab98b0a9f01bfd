import { BenchtopError, isAbortError, systemCode } from '../errors';
import { parseChallenge, type Challenge } from './challenge';
import type { ResolvedCredentials } from './credentials';
import { isDockerHub } from './docker-config';
import { proxyAwareFetch } from './proxy';

export interface TransportDeps {
  credentialsFor: (host: string) => Promise<ResolvedCredentials | undefined>;
  /** Hosts (with port) to speak plain http to besides loopback ones. */
  insecureRegistries: () => string[];
  timeoutMs?: number;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY come from here (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** The HTTP client; default: fetch through the proxy the environment names. */
  fetch?: typeof fetch;
}

interface RequestOptions {
  method?: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
  accept?: string[];
  /** For messages: "the tags of team/analysis". */
  what: string;
  signal?: AbortSignal;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;

/** The host to call: Docker Hub's API lives on registry-1.docker.io. */
export function apiHost(host: string): string {
  return isDockerHub(host) ? 'registry-1.docker.io' : host;
}

/**
 * HTTP to one or more registries, with the distribution spec's auth: anonymous first, then on a
 * 401 challenge either Basic with the stored login or the Bearer token flow (realm/service/scope),
 * caching the Authorization per host and scope. Transport failures become REGISTRY_* codes.
 */
export class RegistryTransport {
  readonly #deps: TransportDeps;
  readonly #http: typeof fetch;
  readonly #authorization = new Map<string, { header: string; expiresAt: number }>();

  constructor(deps: TransportDeps) {
    this.#deps = deps;
    this.#http = deps.fetch ?? proxyAwareFetch(deps.env ?? process.env);
  }

  baseUrl(host: string): string {
    return `${this.#plainHttp(host) ? 'http' : 'https'}://${apiHost(host)}`;
  }

  /** Loopback registries and the ones the user listed as insecure are spoken to over plain http. */
  #plainHttp(hostPort: string): boolean {
    return LOOPBACK.test(hostPort) || this.#deps.insecureRegistries().includes(hostPort);
  }

  /** Requests `path` (starting with /v2/) of `host`, authorizing for pulls of `repository`. */
  async request(host: string, repository: string | undefined, path: string, options: RequestOptions): Promise<Response> {
    const scope = repository ? `repository:${repository}:pull` : '';
    const key = `${host} ${scope}`;
    const url = path.startsWith('http') ? path : `${this.baseUrl(host)}${path}`;
    // A login goes only to the registry's own origin (https, or loopback/insecure http as configured):
    // never to a pagination link or other absolute URL that points elsewhere.
    const foreign = new URL(url).origin !== new URL(this.baseUrl(host)).origin;
    const send = (authorization?: string) => {
      const headers: Record<string, string> = {};
      if (options.accept) headers.Accept = options.accept.join(', ');
      if (authorization) headers.Authorization = authorization;
      return this.#fetch(host, url, { method: options.method ?? 'GET', headers }, options);
    };
    const cached = foreign ? undefined : this.#authorization.get(key);
    let response = await send(cached && cached.expiresAt > Date.now() ? cached.header : undefined);
    if (response.status === 401 && foreign) {
      await response.body?.cancel();
      throw new BenchtopError('REGISTRY_AUTH_FAILED', `The registry ${host} sent Benchtop to ${new URL(url).origin} for ${options.what}, which asks for a login; Benchtop sends the login for ${host} only to ${new URL(this.baseUrl(host)).origin}.`,
        'Tell whoever runs the registry: its links should stay on the registry’s own address.');
    }
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      await response.body?.cancel();
      const authorization = await this.#authorize(host, scope, challenge, options);
      this.#authorization.set(key, authorization);
      response = await send(authorization.header);
      if (response.status === 401) {
        await response.body?.cancel();
        throw await this.#refused(host, options.what, true);
      }
    }
    if (response.status === 403) {
      await response.body?.cancel();
      throw await this.#refused(host, options.what, false);
    }
    return response;
  }

  async #fetch(host: string, url: string, init: RequestInit, options: RequestOptions): Promise<Response> {
    const timeoutMs = this.#deps.timeoutMs ?? 15_000;
    const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
    try {
      return await this.#http(url, { ...init, signal: AbortSignal.any(signals) });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      const cause = (error as { cause?: unknown }).cause;
      const why = isAbortError(error) || (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : systemCode(cause) ?? (cause instanceof Error ? cause.message : (error as Error).message);
      throw new BenchtopError('REGISTRY_UNREACHABLE', `The registry ${host} cannot be reached (${why}) while reading ${options.what}.`,
        url.startsWith('https') && /EPROTO|SSL|wrong version/i.test(String(why))
          ? `It may speak plain http; add ${host} to the insecure registries.`
          : 'Check the network, VPN or proxy, and that the registry address in devcontainer.json is right.');
    }
  }

  async #authorize(host: string, scope: string, challenge: Challenge | undefined, options: RequestOptions): Promise<{ header: string; expiresAt: number }> {
    const login = await this.#deps.credentialsFor(host);
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      return this.#token(host, challenge, scope, login, options);
    }
    if (!login || !login.username) {
      throw new BenchtopError('REGISTRY_AUTH_FAILED', `The registry ${host} asks for a login to read ${options.what}, and none is stored for it.`,
        `Sign in to ${host} in Settings → Registry logins, or run \`docker login ${host}\`.`);
    }
    const basic = Buffer.from(`${login.username}:${login.password}`).toString('base64');
    return { header: `Basic ${basic}`, expiresAt: Number.POSITIVE_INFINITY };
  }

  async #token(host: string, challenge: Challenge, scope: string, login: ResolvedCredentials | undefined, options: RequestOptions): Promise<{ header: string; expiresAt: number }> {
    const url = new URL(challenge.params.realm);
    if (login && url.protocol !== 'https:' && !this.#plainHttp(url.host)) {
      // Over plain http anyone on the way would read the password or identity token.
      throw new BenchtopError('REGISTRY_AUTH_FAILED', `The token service of ${host} is ${url.origin}, plain http; Benchtop does not send the login for ${host} there.`,
        `Ask whoever runs ${host} to serve its token service over https (or, for a registry on your own network, add ${url.host} to the insecure registries).`);
    }
    const service = challenge.params.service;
    const wantScope = challenge.params.scope ?? scope;
    let response: Response;
    if (login?.identitytoken) {
      // OAuth2 refresh-token grant: what `docker login` with an identity token uses.
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: login.identitytoken, client_id: 'benchtop' });
      if (service) form.set('service', service);
      if (wantScope) form.set('scope', wantScope);
      response = await this.#fetch(host, url.toString(), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form }, options);
    } else {
      if (service) url.searchParams.set('service', service);
      if (wantScope) url.searchParams.set('scope', wantScope);
      const headers: Record<string, string> = {};
      if (login?.username) headers.Authorization = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;
      response = await this.#fetch(host, url.toString(), { method: 'GET', headers }, options);
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new BenchtopError('REGISTRY_AUTH_FAILED',
        login ? `The token service of ${host} (${url.origin}) refused the login of ${login.username || 'the identity token'} (from ${login.source}).`
          : `The token service of ${host} (${url.origin}) requires a login to read ${options.what}.`,
        `Sign in to ${host} in Settings → Registry logins, or run \`docker login ${host}\`.`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new BenchtopError('REGISTRY_ERROR', `The token service of ${host} (${url.origin}) answered HTTP ${response.status}.`, 'Try again later; if it persists, tell whoever runs the registry.');
    }
    const body = (await response.json().catch(() => ({}))) as { token?: string; access_token?: string; expires_in?: number };
    const token = body.token ?? body.access_token;
    if (!token) {
      throw new BenchtopError('REGISTRY_ERROR', `The token service of ${host} (${url.origin}) answered without a token.`, 'Tell whoever runs the registry.');
    }
    // Renew a little early; the spec's default lifetime is 60 s.
    const lifetime = Math.max(10, (body.expires_in ?? 60) - 5) * 1000;
    return { header: `Bearer ${token}`, expiresAt: Date.now() + lifetime };
  }

  async #refused(host: string, what: string, rejectedLogin: boolean): Promise<BenchtopError> {
    // Only for the message: a login that cannot be looked up now is named as an anonymous request.
    const login = await this.#deps.credentialsFor(host).catch(() => undefined); // only for the words below
    const who = login ? `the login ${login.username || '(identity token)'} from ${login.source}` : 'an anonymous request';
    return new BenchtopError('REGISTRY_AUTH_FAILED',
      rejectedLogin ? `The registry ${host} rejected ${who} for ${what}.` : `The registry ${host} denies ${who} access to ${what}.`,
      login ? `Check the user name and password for ${host} (Settings → Registry logins, or \`docker login ${host}\`) and that the account may read this repository.`
        : `Sign in to ${host} in Settings → Registry logins, or run \`docker login ${host}\`.`);
  }
}
