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
  LOCKFILE_INVALID: 'Pin the version again on the Images screen: pinning writes the image’s lockfile over the unreadable one.',
  TAG_NOT_FOUND: 'Pick one of the versions listed on the Images screen and pin it.',
  IMAGE_NOT_FOUND: 'Pin a version that exists: the Images screen lists the ones on the registry.',
  ENGINE_UNREACHABLE: 'Start Docker on this computer (Docker Desktop, Colima, Podman or the docker service), then press Retry. For a shared host, press Test on its card on the Hosts screen.',
  DEVCONTAINER_MISSING: 'On Welcome, press Open project folder… and choose the project’s own folder: the one holding .devcontainer/devcontainer.json.',
  DEVCONTAINER_EXISTS: 'This folder already is a project: open it with Open project folder… on Welcome.',
  DEVCONTAINER_INVALID: 'Fix .devcontainer/devcontainer.json where the message says, save it, then press Retry.',
  DEVCONTAINER_COMMAND_FAILED: 'Fix the command in devcontainer.json, then press Retry; the session’s Logs on the Sessions screen show its output.',
  JUPYTER_ARGS_REFUSED: 'Remove the refused arguments from customizations.benchtop.jupyter in devcontainer.json: Benchtop keeps the token and the 127.0.0.1 binding on every session.',
  SESSION_EXISTS: 'Open the Sessions screen: open the session that runs, or stop it and press Start again.',
  SESSION_FAILED: 'Open the session’s Logs on the Sessions screen to see why it stopped, then press Start on its card.',
  NOT_OWNER: 'Only the teammate who started it can act on it (their name is on its card); start your own session instead.',
  HOST_KEY_UNKNOWN: 'Add the host on the Hosts screen: it shows the host’s key fingerprint to compare and trust.',
  HOST_UNREACHABLE: 'Check the address and port in the Hosts form, and the VPN or network; then press Test on the host’s card.',
  HOST_INVALID: 'Write the host in the Hosts form as user@host or user@host:port.',
  GPU_BUSY: 'Every GPU on the host is taken: see who holds them under GPUs on the Hosts screen, wait in its queue, or start without GPUs.',
  GPU_UNAVAILABLE: 'This target has no GPUs Benchtop can use: choose a host with GPUs in Move, or start without GPUs.',
  QUOTA_EXCEEDED: 'You hold as many GPUs as the host’s policy allows: stop one of your GPU sessions on the Sessions screen first.',
  LEASE_NOT_FOUND: 'The lease has already ended: the GPUs board on the Hosts screen shows the current ones.',
  SYNC_ROOT_MISSING: 'Put the notebooks folder back where the project expects it; removed versions can be restored under Project → Recently removed.',
  SYNC_MASS_DELETE: 'Open Project → Recently removed: confirm the deletions there if you meant them, or restore the files.',
  SYNC_FAILED: 'Benchtop keeps retrying; press Test on the host’s card on the Hosts screen to see whether the host answers.',
  TRASH_NOT_FOUND: 'Refresh Project → Recently removed: the version may have expired (kept 30 days).',
  CLOUD_NOT_CONFIGURED: 'Set the Google Cloud project and zones under Hosts → New cloud GPU VM.',
  CLOUD_NOT_FOUND: 'Refresh the Hosts screen: the VM may have been deleted.',
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
