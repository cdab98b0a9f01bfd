/**
 * The e2e test bridge: serves the built renderer over HTTP with the app's CSP, and answers
 * `window.benchtop` calls with a real Core through createHandlers + dispatch — the same code path as
 * Electron's IPC binding — so Playwright drives the real UI against real services in Chromium.
 *
 *   node --import tsx e2e/bridge/server.ts [--port N]
 *   node out/e2e-bridge/server.js [--port N]     (bundled by the e2e global setup: e2e/support/bridge-build.ts)
 *
 * Env: BENCHTOP_HOME (settings folder; a temp one when unset), BENCHTOP_E2E_PROJECT (the folder the
 * "Open project folder…" dialog answers), BENCHTOP_BRIDGE_PORT. Prints `BENCHTOP_BRIDGE_URL=<url>`.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EVENT_NAMES } from '../../src/shared/channels';
import type { Envelope } from '../../src/shared/errors';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import { Core } from '../../src/main/core/core';
import type { Desktop } from '../../src/main/core/desktop';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { RENDERER_CSP } from '../../src/main/csp';
import { isAllowedNavigation } from '../../src/main/navigation';
import { processKeySecretBox } from './secret-box';
import { injectBridgeScript, readStatic } from './static-files';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface BridgeOptions {
  port?: number;
  /** Settings folder (BENCHTOP_HOME). */
  home: string;
  /** The answer of projectChooseFolder; null is "cancelled". */
  chooseFolder?: string | null;
  rendererDir?: string;
}

/** What the app asked the desktop to open (a notebook, a link), for tests to follow. */
export interface OpenedUrl {
  kind: 'notebook' | 'external' | 'page';
  url: string;
  sessionId?: string;
}

/** A desktop notification the core sent (a queued cluster session started, a lease about to expire). */
export interface Notified {
  title: string;
  body: string;
}

export interface Bridge {
  url: string;
  core: Core;
  opened: OpenedUrl[];
  notified: Notified[];
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const rendererDir = resolve(options.rendererDir ?? join(repoRoot, 'out/renderer'));
  const index = await readStatic(rendererDir, '/index.html');
  if (!index) throw new Error(`No built renderer in ${rendererDir}; run \`npx electron-vite build\` first.`);
  const html = injectBridgeScript(index.body.toString('utf8'));
  const apiScript = await bundleClient();

  const opened: OpenedUrl[] = [];
  const notified: Notified[] = [];
  const desktop: Desktop = {
    notify: (title, body) => void notified.push({ title, body }),
    chooseFolder: async () => options.chooseFolder ?? null,
    openExternal: async (url) => void opened.push({ kind: 'external', url }),
    openNotebook: async (sessionId, url) => void opened.push({ kind: 'notebook', url, sessionId }),
    openLocalPage: async (path) => void opened.push({ kind: 'page', url: path }),
  };
  const core = new Core({ settings: openConfSettings(options.home), secrets: processKeySecretBox(), desktop, shell: 'bridge' });
  const handlers = createHandlers(core);
  core.start(); // as the app does: live session states, the idle rule, remote sync

  let origin = '';
  let host = '';
  // Same rule as Electron's sender check: only the app's own origin may call (and it must be the
  // Host we listen on, which also defeats DNS rebinding).
  const fromApp = (req: IncomingMessage): boolean => {
    const source = req.headers.origin ?? req.headers.referer;
    return req.headers.host === host && typeof source === 'string' && isAllowedNavigation(source, [origin]);
  };

  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', String(error));
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (path.startsWith('/__bridge/invoke/') && req.method === 'POST') {
      const channel = decodeURIComponent(path.slice('/__bridge/invoke/'.length));
      const envelope: Envelope<unknown> = fromApp(req)
        ? await dispatch(handlers, channel, await readJson(req))
        : { error: { code: 'FORBIDDEN_SENDER', message: 'This page may not call Benchtop.', hint: '' } };
      return send(res, 200, 'application/json', JSON.stringify(envelope));
    }
    if (path === '/__bridge/events') {
      if (!fromApp(req)) return send(res, 403, 'text/plain; charset=utf-8', 'FORBIDDEN_SENDER');
      return streamEvents(core, req, res);
    }
    if (path === '/__bridge/api.js') return send(res, 200, 'text/javascript; charset=utf-8', apiScript);
    if (path === '/__bridge/opened') return send(res, 200, 'application/json', JSON.stringify(opened));
    if (path === '/__bridge/notified') return send(res, 200, 'application/json', JSON.stringify(notified));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed');
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', html);
    const file = await readStatic(rendererDir, path);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    return send(res, 200, file.type, file.body);
  }

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;

  return {
    url: origin,
    core,
    opened,
    notified,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await core.close();
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': RENDERER_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('Request body too large.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const value: unknown = text ? JSON.parse(text) : null;
  // `null` is how a call without a request crosses HTTP; handlers expect undefined, as over IPC.
  return value === null ? undefined : value;
}

/** Forwards every core event to one browser page as Server-Sent Events until it disconnects. */
function streamEvents(core: Core, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'content-security-policy': RENDERER_CSP,
  });
  res.write(': open\n\n');
  const stops = EVENT_NAMES.map((name) => core.bus.on(name, (payload) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)));
  const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(heartbeat);
    stops.forEach((stop) => stop());
  });
}

/**
 * The page's `window.benchtop` script: the one global setup prebuilt beside the bundled bridge
 * (out/e2e-bridge/api.js), else bundled now (the bridge run from its sources with tsx).
 */
async function bundleClient(): Promise<string> {
  const prebuilt = join(import.meta.dirname, 'api.js');
  if (existsSync(prebuilt)) return readFile(prebuilt, 'utf8');
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(import.meta.dirname, 'client.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

function portArgument(argv: readonly string[]): number | undefined {
  const at = argv.indexOf('--port');
  const raw = at >= 0 ? argv[at + 1] : process.env.BENCHTOP_BRIDGE_PORT;
  return raw ? Number(raw) : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const home = process.env.BENCHTOP_HOME ?? mkdtempSync(join(tmpdir(), 'benchtop-bridge-'));
  const bridge = await startBridge({ port: portArgument(process.argv), home, chooseFolder: process.env.BENCHTOP_E2E_PROJECT || null });
  process.stdout.write(`BENCHTOP_BRIDGE_URL=${bridge.url}\nBENCHTOP_HOME=${home}\n`);
  const stop = () => void bridge.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
