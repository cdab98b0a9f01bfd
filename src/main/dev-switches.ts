/**
 * Development switches, honoured only by an unpackaged app (`electron .`, `npm run dev`, the e2e
 * runs). A packaged app ignores them, so an environment variable or a command-line flag cannot point
 * the installed app's window at another page or open a debugging port into it.
 * Plain TypeScript, tested without Electron; index.ts passes app.isPackaged.
 */
export interface DevSwitches {
  /** The renderer dev server (ELECTRON_RENDERER_URL), used instead of app://. */
  rendererUrl?: string;
  /** Whether DevTools may open. */
  devTools: boolean;
}

/** Command-line switches that open the app to another process; a packaged app refuses to start with them. */
export const DEBUG_SWITCHES = ['remote-debugging-port', 'remote-debugging-pipe', 'inspect', 'inspect-brk', 'inspect-port', 'js-flags'] as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function developmentSwitches(env: NodeJS.ProcessEnv, isPackaged: boolean): DevSwitches {
  if (isPackaged) return { devTools: false };
  const raw = env.ELECTRON_RENDERER_URL;
  // Even in development only a loopback http(s) dev server, never a remote page with the preload's API.
  let rendererUrl: string | undefined;
  if (raw) {
    try {
      const url = new URL(raw);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname)) rendererUrl = url.toString();
    } catch {
      rendererUrl = undefined;
    }
  }
  return { rendererUrl, devTools: true };
}

/** The debug switches present in argv (`--inspect=9229`, `--remote-debugging-port=0`…), for a packaged app to refuse. */
export function refusedSwitches(argv: readonly string[], isPackaged: boolean): string[] {
  if (!isPackaged) return [];
  return argv
    .map((arg) => /^--([a-z-]+)(?:=.*)?$/.exec(arg)?.[1])
    .filter((name): name is string => name !== undefined && (DEBUG_SWITCHES as readonly string[]).includes(name));
}
