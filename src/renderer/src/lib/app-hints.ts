import type { ErrorCode, ErrorInfo } from '../../../shared/errors';

/**
 * What to do about an error, in the app's words (its screens and buttons), for the codes the core
 * describes with a CLI command. The core's own hint stays available second, for a terminal.
 */
const APP_HINTS: Partial<Record<ErrorCode, string>> = {
  IMAGE_NOT_PINNED: 'Pin a version on the Images screen, so everyone on the team runs the same image.',
  HOST_AUTH_FAILED: 'Check the identity file in the Hosts form (the private key whose public half the host accepts), then add the host again.',
  HOST_EXISTS: 'The host is already in the list on the Hosts screen: press Test on its card, or Remove it first.',
  HOST_NOT_FOUND: 'Open the Hosts screen to see the hosts, or add this one there.',
  HOST_KEY_CHANGED: 'Ask the host’s admin whether its key really changed; if so, remove the host on the Hosts screen and add it again.',
  REGISTRY_AUTH_FAILED: 'Check the login for this registry under Settings → Registry logins.',
  CREDENTIAL_HELPER_FAILED: 'Save a login for this registry under Settings → Registry logins.',
  SESSION_NOT_FOUND: 'Refresh the Sessions screen: the session may have been removed.',
  PORT_IN_USE: 'Press Retry: Benchtop picks another free port.',
  LOCKFILE_MISSING: 'Pin the version again on the Images screen: pinning writes the lockfile from the image.',
  LOCKFILE_MISMATCH: 'Pin the version again on the Images screen: pinning writes the lockfile from the image.',
};

/** A hint that names a command line (backticks, `--flags`) speaks CLI, not the app. */
const speaksCli = (hint: string): boolean => /`|(^|\s)--[a-z]/.test(hint);

/** The hint to show first, and the core's CLI hint to show second when it differs. */
export function hintsFor(error: ErrorInfo): { app?: string; terminal?: string } {
  const app = APP_HINTS[error.code];
  if (!error.hint) return { app };
  if (app) return { app, terminal: error.hint };
  return speaksCli(error.hint) ? { terminal: error.hint } : { app: error.hint };
}
