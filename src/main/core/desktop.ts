import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute } from 'node:path';

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
  /** A desktop notification (a lease about to expire, GPUs granted); shells without one leave it out. */
  notify?(title: string, body: string): void;
  /**
   * Opens a local page Benchtop wrote (an absolute path to a .html file) in the default browser: how
   * a session's URL reaches the browser without its token on any command line (session/open-page.ts).
   */
  openLocalPage(path: string): Promise<void>;
}

export const headlessDesktop: Desktop = {
  chooseFolder: async () => null,
  openExternal: async () => undefined,
  openNotebook: async () => undefined,
  openLocalPage: async () => undefined,
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

/** What the system desktop needs from its surroundings; tests replace the platform and the notice. */
export interface SystemDesktopDeps {
  platform?: NodeJS.Platform;
  /** PATH for finding the opener, and BENCHTOP_BROWSER=none, which turns opening off. */
  env?: NodeJS.ProcessEnv;
  /** Where the one-line note goes when no browser could be opened (the CLI: stderr). */
  notice?: (text: string) => void;
}

/** The command that hands a URL to the default browser: xdg-open, open(1), or cmd's `start`. */
export function browserOpener(url: string, platform: NodeJS.Platform = process.platform): { file: string; args: string[]; verbatim: boolean } {
  if (platform === 'darwin') return { file: 'open', args: [url], verbatim: false };
  if (platform === 'win32') {
    // `start` is built into cmd; the empty "" is its window title. The URL is quoted so that cmd does
    // not split it at `&` (a parsed URL holds no `"`), and the whole line once more for /s, as Node's
    // own `shell: true` does.
    return { file: 'cmd', args: ['/d', '/s', '/c', `"start "" "${url}""`], verbatim: true };
  }
  return { file: 'xdg-open', args: [url], verbatim: false };
}

/**
 * The desktop of a shell without windows (the CLI): the default browser, through the platform's
 * opener, started detached so that the command neither waits for the browser nor fails without one.
 * A missing opener, or a URL that is not plain http(s), leaves a one-line note instead; the caller
 * prints the URL in any case. BENCHTOP_BROWSER=none opens nothing (tests, scripts, SSH sessions).
 */
export function systemDesktop(deps: SystemDesktopDeps = {}): Desktop {
  const env = deps.env ?? process.env;
  const platform = deps.platform ?? process.platform;
  const notice = deps.notice ?? (() => undefined);
  const open = async (raw: string): Promise<void> => {
    if (env.BENCHTOP_BROWSER?.trim().toLowerCase() === 'none') return;
    const url = parseExternalUrl(raw);
    if (!url) {
      notice(`Not opening "${raw}" in a browser: only http and https links are opened.`);
      return;
    }
    await launch(browserOpener(url.href, platform), url.href);
  };
  /** Starts the opener detached; a missing one leaves the note instead of failing the command. */
  const launch = async (opener: ReturnType<typeof browserOpener>, what: string): Promise<void> => {
    const started = await new Promise<Error | undefined>((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(opener.file, opener.args, {
          detached: true, stdio: 'ignore', env, windowsHide: true, windowsVerbatimArguments: opener.verbatim,
        });
      } catch (error) {
        resolve(error as Error);
        return;
      }
      child.once('error', resolve);
      child.once('spawn', () => {
        child.unref();
        resolve(undefined);
      });
    });
    if (started) {
      const why = (started as NodeJS.ErrnoException).code === 'ENOENT' ? `${opener.file} was not found` : started.message;
      notice(`Could not open a browser (${why}); open ${what} yourself.`);
    }
  };
  const openPage = async (path: string): Promise<void> => {
    if (env.BENCHTOP_BROWSER?.trim().toLowerCase() === 'none') return;
    if (!isAbsolute(path) || !path.endsWith('.html')) {
      notice(`Not opening "${path}": only pages Benchtop wrote are opened.`);
      return;
    }
    await launch(browserOpener(path, platform), path);
  };
  return {
    chooseFolder: async () => null,
    openExternal: open,
    // No notebook view without the app: the browser shows it.
    openNotebook: (_sessionId, url) => open(url),
    openLocalPage: openPage,
  };
}
