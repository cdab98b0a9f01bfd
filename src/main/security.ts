import { app, session, shell, type Session, type WebContents } from 'electron';
import { parseExternalUrl } from './core/desktop';
import { RENDERER_CSP } from './csp';
import { isAllowedNavigation } from './navigation';

/** Secure defaults every window of the app is built with. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** Denies every permission (camera, notifications, geolocation…) a page asks for. */
export function denyPermissions(target: Session): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
}

/** Adds the strict CSP to every response the app's own session serves. */
export function applyCsp(target: Session): void {
  target.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
}

/** Opens a link outside the app only when it parses as plain http(s). */
export function openOutside(url: string): void {
  const parsed = parseExternalUrl(url);
  if (parsed) void shell.openExternal(parsed.toString());
}

/**
 * Limits a WebContents to the allowed origins: other navigations are blocked (http(s) ones open in
 * the default browser), window.open is denied, and <webview> cannot be attached.
 */
export function restrictNavigation(contents: WebContents, allowed: () => readonly string[]): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (isAllowedNavigation(url, allowed())) return;
    event.preventDefault();
    openOutside(url);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
}

/** App-wide rules, installed once before any window exists. */
export function installAppSecurity(appUrl: () => string): void {
  app.enableSandbox();
  denyPermissions(session.defaultSession);
  applyCsp(session.defaultSession);
  // Any WebContents created later (a devtools-less popup, a stray frame) gets the app's rules unless
  // its creator already restricted it.
  app.on('web-contents-created', (_event, contents) => {
    if (contents.getType() === 'window' && contents.session === session.defaultSession) {
      restrictNavigation(contents, () => [appUrl()]);
    }
  });
}
