import { extname, resolve, sep } from 'node:path';
import { RENDERER_CSP } from './csp';

/**
 * The renderer is served from `app://benchtop/…` instead of file://: a real origin (so CSP 'self',
 * the sender check and the navigation allow-list compare origins, not file paths), and only the
 * renderer's own folder is reachable. Plain TypeScript, tested without Electron; app-protocol.ts
 * binds it to Electron's protocol API.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'benchtop';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export type AppFile = { status: 200; path: string; contentType: string } | { status: 400 | 403 | 404; reason: string };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Maps an `app://benchtop/<path>` request to a file under `root` (the built renderer folder).
 * Another host, a `..` segment (also percent-encoded), a backslash, a NUL or anything resolving
 * outside `root` is refused; `/` is index.html. Whether the file exists is the caller's to find out.
 */
export function appFileFor(requestUrl: string, root: string): AppFile {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { status: 403, reason: `not ${APP_ORIGIN}` };
  // The raw path, before any decoding: encoded separators and dots are refused, not interpreted.
  const rawPath = url.pathname;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, reason: 'malformed percent-encoding' };
  }
  if (/%2f|%5c/i.test(rawPath) || decoded.includes('\\') || decoded.includes('\0')) return { status: 403, reason: 'encoded separator or NUL in the path' };
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { status: 403, reason: 'dot segment in the path' };
  const relative = segments.length ? segments.join(sep) : 'index.html';
  const base = resolve(root);
  const path = resolve(base, relative);
  if (path !== base && !path.startsWith(`${base}${sep}`)) return { status: 403, reason: 'outside the renderer folder' };
  return { status: 200, path, contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream' };
}

/** Headers of every app:// response: the renderer's CSP (as a header, not only the meta tag), no sniffing. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}
