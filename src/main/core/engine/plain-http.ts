import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type Docker from 'dockerode';

/**
 * One GET to a local engine's API over plain HTTP (Unix socket, named pipe, tcp with or without TLS),
 * without dockerode. dockerode loads ssh2, gRPC and protobuf at import, which costs a short command
 * (`benchtop engine`, `benchtop check`) more than the request itself; `version` and `info` need none
 * of it. A failure carries what engineError() reads from dockerode's: the system code, or the HTTP
 * status with the daemon's JSON message.
 */
export async function plainEngineGet<T>(options: Docker.DockerOptions, path: string, signal?: AbortSignal): Promise<T> {
  const tls = options.protocol === 'https';
  // Loaded here, not at the top: most commands never ask the engine this way.
  const request: (options: RequestOptions, onResponse: (res: IncomingMessage) => void) => ClientRequest =
    tls ? (await import('node:https')).request : (await import('node:http')).request;
  const target: RequestOptions & Pick<Docker.DockerOptions, 'ca' | 'cert' | 'key'> = options.socketPath
    ? { socketPath: options.socketPath }
    : { host: options.host, port: options.port, ...(tls ? { ca: options.ca, cert: options.cert, key: options.key } : {}) };
  return new Promise<T>((resolve, reject) => {
    // agent: false and Connection: close, so no idle socket keeps a short-lived CLI process alive.
    const req = request({ ...target, path, method: 'GET', agent: false, headers: { Connection: 'close' }, signal }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300 && body !== undefined) return resolve(body as T);
        const message = (body as { message?: string } | undefined)?.message ?? (text.trim() || `HTTP ${status}`);
        reject(Object.assign(new Error(`(HTTP code ${status}) ${message}`), { statusCode: status, json: body ?? { message } }));
      });
    });
    req.on('error', reject);
    req.end();
  });
}
