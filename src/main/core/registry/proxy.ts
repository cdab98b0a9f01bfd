import { request as httpRequest, type ClientRequestArgs, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { isLoopback, noProxyCovers } from '../machine/no-proxy';

/** The proxy variables, as curl and Go read them (upper case first, then lower case). */
export interface ProxySettings {
  http?: string;
  https?: string;
  no?: string;
}

const read = (env: NodeJS.ProcessEnv, name: string) => env[name] || env[name.toLowerCase()] || undefined;

export function proxySettingsFrom(env: NodeJS.ProcessEnv): ProxySettings {
  return { http: read(env, 'HTTP_PROXY'), https: read(env, 'HTTPS_PROXY'), no: read(env, 'NO_PROXY') };
}

/**
 * The proxy for one URL, with Go's rules (which the engine follows too, so both agree): HTTPS_PROXY
 * for https, HTTP_PROXY for http, never for loopback, never for what NO_PROXY covers.
 */
export function proxyFor(url: URL, settings: ProxySettings): URL | undefined {
  const raw = url.protocol === 'https:' ? settings.https : settings.http;
  if (!raw) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (isLoopback(host) || noProxyCovers(settings.no, `${url.hostname}:${port}`)) return undefined;
  try {
    // `proxy:3128` without a scheme means http://, as curl and Go read it.
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

/** `http://user:***@proxy:3128`: a proxy as messages may show it. */
export function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.username ? `${decodeURIComponent(proxy.username)}:***@` : ''}${proxy.host}`;
}

export interface ProxyFetchOptions {
  /** Extra CA certificates for https targets reached through a proxy (tests; corporate CAs use NODE_EXTRA_CA_CERTS). */
  ca?: string | Buffer;
}

const NULL_BODY = new Set([101, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/**
 * A `fetch` that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY: https through an HTTP CONNECT tunnel
 * (the proxy sees only host:port, TLS is end to end), http as an absolute-URI request to the proxy.
 * Without a proxy for the URL it is Node's own fetch. Redirects are followed like fetch does, and
 * Authorization is dropped when a redirect leaves the origin.
 */
export function proxyAwareFetch(env: NodeJS.ProcessEnv, options: ProxyFetchOptions = {}): typeof fetch {
  const settings = proxySettingsFrom(env);
  const go = (url: URL, init: RequestInit, hops: number): Promise<Response> => {
    const proxy = proxyFor(url, settings);
    // Node's fetch follows any further redirects itself (and drops Authorization across origins).
    if (!proxy) return fetch(url, init);
    return viaProxy(url, init, proxy, options, go, hops);
  };
  return ((input: string | URL, init: RequestInit = {}) => go(new URL(input.toString()), init, 0)) as typeof fetch;
}

type Follow = (url: URL, init: RequestInit, hops: number) => Promise<Response>;

async function viaProxy(url: URL, init: RequestInit, proxy: URL, options: ProxyFetchOptions, follow: Follow, hops: number): Promise<Response> {
  const headers = new Headers(init.headers);
  const method = (init.method ?? 'GET').toUpperCase();
  const body = bodyOf(init.body);
  let res: IncomingMessage;
  try {
    res = await requestOnce(url, method, headers, body, proxy, options, init.signal ?? undefined);
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason ?? error;
    // The shape fetch fails with, so callers map it the same way: TypeError with the system error as cause.
    throw new TypeError('fetch failed', { cause: error });
  }
  const location = res.headers.location;
  if (REDIRECT.has(res.statusCode ?? 0) && location && (init.redirect ?? 'follow') === 'follow') {
    res.resume();
    if (hops >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error(`more than ${MAX_REDIRECTS} redirects from ${url.origin}`) });
    const next = new URL(location, url);
    // As the fetch standard says: a login never follows a redirect to another origin.
    if (next.origin !== url.origin) headers.delete('authorization');
    const toGet = res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST');
    const nextInit: RequestInit = { ...init, headers, ...(toGet ? { method: 'GET', body: undefined } : {}) };
    return follow(next, nextInit, hops + 1);
  }
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
  }
  const status = res.statusCode ?? 502;
  const stream = NULL_BODY.has(status) || method === 'HEAD' ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  if (!stream) res.resume();
  return new Response(stream, { status, statusText: res.statusMessage, headers: responseHeaders });
}

function bodyOf(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError('a proxied request body must be a string, URLSearchParams or bytes');
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const login = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(login).toString('base64')}` };
}

function plainHeaders(headers: Headers, host: string): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { Host: host };
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function requestOnce(url: URL, method: string, headers: Headers, body: string | Buffer | undefined, proxy: URL, options: ProxyFetchOptions, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  const out = plainHeaders(headers, url.host);
  if (body !== undefined) out['Content-Length'] = Buffer.byteLength(body);
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = url.protocol === 'https:'
      ? httpsRequest({ host: url.hostname, port: url.port || 443, path: `${url.pathname}${url.search}`, method, headers: out, agent: new TunnelAgent(proxy, url, options, signal) })
      : (proxy.protocol === 'https:' ? httpsRequest : httpRequest)({
        host: proxy.hostname, port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80), path: url.href, method,
        headers: { ...out, ...proxyAuthorization(proxy) }, agent: false,
      });
    req.once('response', resolve);
    req.once('error', (error: NodeJS.ErrnoException) => {
      // Over plain http every connection is to the proxy; over https the tunnel already says which side failed.
      reject(url.protocol === 'https:' ? error : new Error(`the proxy ${describeProxy(proxy)} cannot be reached (${error.code ?? error.message})`, { cause: error }));
    });
    signal?.addEventListener('abort', () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true });
    req.end(body);
  });
}

/**
 * One request's agent: its connection is a TLS session inside a CONNECT tunnel, so the proxy relays
 * bytes it cannot read. (An agent, because https.request ignores `createConnection` once an agent exists.)
 */
class TunnelAgent extends HttpsAgent {
  readonly #proxy: URL;
  readonly #url: URL;
  readonly #options: ProxyFetchOptions;
  readonly #signal: AbortSignal | undefined;

  constructor(proxy: URL, url: URL, options: ProxyFetchOptions, signal: AbortSignal | undefined) {
    super({ keepAlive: false });
    this.#proxy = proxy;
    this.#url = url;
    this.#options = options;
    this.#signal = signal;
  }

  override createConnection(_options: ClientRequestArgs, done?: (error: Error | null, socket: Duplex) => void): Duplex | null | undefined {
    const url = this.#url;
    tunnel(this.#proxy, url, this.#signal).then(
      // An IP address is no TLS server name (RFC 6066); the certificate is still checked against it.
      (socket) => done?.(null, tlsConnect({ socket, servername: isIP(url.hostname) ? undefined : url.hostname, host: url.hostname, ca: this.#options.ca, ALPNProtocols: ['http/1.1'] })),
      (error: Error) => done?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** Opens `CONNECT host:port` on the proxy and hands back the raw tunnel. */
function tunnel(proxy: URL, url: URL, signal: AbortSignal | undefined): Promise<Socket> {
  const target = `${url.hostname}:${url.port || 443}`;
  return new Promise((resolve, reject) => {
    const req = (proxy.protocol === 'https:' ? httpsRequest : httpRequest)({
      host: proxy.hostname, port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80), method: 'CONNECT', path: target,
      headers: { Host: target, ...proxyAuthorization(proxy) }, agent: false,
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) {
        resolve(socket);
        return;
      }
      socket.destroy();
      reject(new Error(`the proxy ${describeProxy(proxy)} answered ${res.statusCode ?? '?'} ${res.statusMessage ?? ''} to CONNECT ${target}`.trim()));
    });
    req.once('error', (error) => reject(new Error(`the proxy ${describeProxy(proxy)} cannot be reached (${(error as NodeJS.ErrnoException).code ?? error.message})`, { cause: error })));
    signal?.addEventListener('abort', () => req.destroy(), { once: true });
    req.end();
  });
}
