import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME, appFileFor, appResponseHeaders } from './app-scheme';

/**
 * Must run before the app is ready: app:// is a standard, secure scheme (an origin of its own, CSP
 * 'self', fetch), so the renderer behaves as on https without a server.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves the built renderer folder on app://benchtop/ (after ready); nothing outside it. */
export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appFileFor(request.url, root);
    if (file.status !== 200) return new Response(file.reason, { status: file.status, headers: appResponseHeaders('text/plain; charset=utf-8') });
    try {
      return new Response(await readFile(file.path), { status: 200, headers: appResponseHeaders(file.contentType) });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR';
      return new Response(missing ? 'not found' : 'unreadable', { status: missing ? 404 : 500, headers: appResponseHeaders('text/plain; charset=utf-8') });
    }
  });
}
