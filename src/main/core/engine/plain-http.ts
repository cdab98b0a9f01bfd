import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { connect } from 'node:net';
import type Docker from 'dockerode';

/**
 * One GET to a local engine's API over plain HTTP (Unix socket, named pipe, tcp with or without TLS),
 * without dockerode. dockerode loads ssh2, gRPC and protobuf at import, which costs a short command
 * (`benchtop engine`, `benchtop check`) more than the request itself; `version` and `info` need none
 * of it. A failure carries what engineError() reads from dockerode's: the system code, or the HTTP
 * status with the daemon's JSON message.
 */
export async function plainEngineGet<T>(options: Docker.DockerOptions, path: string, signal?: AbortSignal): Promise<T> {
  const { status, body } = options.socketPath ? await socketGet(options.socketPath, path, signal) : await httpGet(options, path, signal);
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : undefined;
  } catch {
    parsed = undefined; // not JSON: the status and the text say what went wrong, below
  }
  if (status >= 200 && status < 300 && parsed !== undefined) return parsed as T;
  const message = (parsed as { message?: string } | undefined)?.message ?? (body.trim() || `HTTP ${status}`);
  throw Object.assign(new Error(`(HTTP code ${status}) ${message}`), { statusCode: status, json: parsed ?? { message } });
}

/**
 * HTTP/1.0 over the engine's socket, by hand: node's http client costs a short command more to load
 * and set up than the request takes. HTTP/1.0 means no keep-alive and (from Docker, Podman) no
 * chunked body, so the answer is everything until the engine closes the connection.
 */
function socketGet(socketPath: string, path: string, signal?: AbortSignal): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: socketPath });
    const chunks: Buffer[] = [];
    const onAbort = () => socket.destroy(Object.assign(new Error('The request was aborted.'), { name: 'AbortError' }));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => socket.write(`GET ${path} HTTP/1.0\r\nHost: docker\r\nUser-Agent: benchtop\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    socket.once('end', () => {
      signal?.removeEventListener('abort', onAbort);
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function parseResponse(raw: Buffer): { status: number; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw Object.assign(new Error('The engine closed the connection without a whole HTTP answer.'), { code: 'ECONNRESET' });
  const head = raw.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head[0])?.[1] ?? 0);
  let body = raw.subarray(split + 4);
  if (head.some((line) => /^transfer-encoding:\s*chunked/i.test(line))) body = unchunk(body);
  return { status, body: body.toString('utf8') };
}

/** A chunked body, in case an engine answers HTTP/1.0 with one anyway. */
function unchunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** tcp:// engines, with TLS when their endpoint says so, through node's http(s) client. */
async function httpGet(options: Docker.DockerOptions, path: string, signal?: AbortSignal): Promise<{ status: number; body: string }> {
  const tls = options.protocol === 'https';
  // Loaded here, not at the top: most commands never ask an engine over tcp.
  const request: (options: RequestOptions, onResponse: (res: IncomingMessage) => void) => ClientRequest =
    tls ? (await import('node:https')).request : (await import('node:http')).request;
  const target: RequestOptions & Pick<Docker.DockerOptions, 'ca' | 'cert' | 'key'> = {
    host: options.host, port: options.port, ...(tls ? { ca: options.ca, cert: options.cert, key: options.key } : {}),
  };
  return new Promise((resolve, reject) => {
    // agent: false and Connection: close, so no idle socket keeps a short-lived CLI process alive.
    const req = request({ ...target, path, method: 'GET', agent: false, headers: { Connection: 'close' }, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}
