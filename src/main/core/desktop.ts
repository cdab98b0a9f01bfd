/**
 * What only the desktop shell can do (native dialogs, the default browser, the notebook view).
 * Electron's main process provides the real one; the CLI and the test bridge provide their own.
 */
export interface Desktop {
  chooseFolder(): Promise<string | null>;
  /** Opens an http(s) URL that `parseExternalUrl` accepted. */
  openExternal(url: string): Promise<void>;
  /** Shows a session's notebook inside the app, limited to that session's origin. */
  openNotebook(sessionId: string, url: string): Promise<void>;
}

export const headlessDesktop: Desktop = {
  chooseFolder: async () => null,
  openExternal: async () => undefined,
  openNotebook: async () => undefined,
};

/** Only plain http(s) URLs leave the app; everything else (file:, javascript:, custom schemes) is refused. */
export function parseExternalUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url;
}
