/**
 * A loopback registry in front of the real one that misbehaves in one chosen way, to see what the
 * real engine and Benchtop make of it: a manifest that is not the one asked for, or blobs that fail.
 */
import { createServer, type Server } from 'node:http';

export type Misbehaviour = 'swap-manifest' | 'broken-blobs';

export interface RegistryProxy {
  address: string;
  close(): Promise<void>;
}

/** `swapTo`: for swap-manifest, the manifest (by digest) served instead of any manifest asked for by digest. */
export async function startRegistryProxy(upstream: string, mode: Misbehaviour, swapTo?: { repository: string; digest: string }): Promise<RegistryProxy> {
  const server: Server = createServer(async (req, res) => {
    let path = req.url ?? '/';
    if (mode === 'broken-blobs' && /\/blobs\/sha256:/.test(path) && req.method === 'GET') {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'disk on fire' }] }));
      return;
    }
    if (mode === 'swap-manifest' && swapTo && /\/manifests\/sha256:/.test(path)) {
      path = `/v2/${swapTo.repository}/manifests/${swapTo.digest}`;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v;
    const upstreamResponse = await fetch(`http://${upstream}${path}`, { method: req.method, headers, redirect: 'manual' });
    const body = Buffer.from(await upstreamResponse.arrayBuffer());
    const out: Record<string, string> = {};
    upstreamResponse.headers.forEach((v, k) => {
      if (!['content-encoding', 'transfer-encoding', 'connection', 'docker-content-digest'].includes(k)) out[k] = v;
    });
    if (req.method !== 'HEAD') out['content-length'] = String(body.length);
    else if (upstreamResponse.headers.get('content-length')) out['content-length'] = upstreamResponse.headers.get('content-length') as string;
    res.writeHead(upstreamResponse.status, out);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
