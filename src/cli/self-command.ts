import { dirname, resolve } from 'node:path';
import { CLI_MODE_SWITCH } from '../main/cli-mode/args';

/** What this process runs on: node with the CLI script, or the app binary in its command-line mode. */
export interface CliRuntime {
  execPath: string;
  execArgv: readonly string[];
  /** The CLI script (out/cli/benchtop.js, or src/cli/main.ts under tsx). */
  script: string;
  /** Inside the app binary (process.versions.electron): src/main/cli-mode runs this CLI in its main process. */
  electron: boolean;
  /** An unpackaged app (`electron .`, process.defaultApp): its app path comes first on its command line. */
  defaultApp: boolean;
  platform: NodeJS.Platform;
}

export function currentRuntime(): CliRuntime {
  return {
    execPath: process.execPath,
    execArgv: process.execArgv,
    script: process.argv[1] ?? '',
    electron: Boolean(process.versions.electron),
    defaultApp: Boolean((process as { defaultApp?: boolean }).defaultApp),
    platform: process.platform,
  };
}

/**
 * How to start this same program again with other arguments (the forwarder, detached). Under node:
 * node, its flags and the script. Inside the app binary, whose RunAsNode fuse is off: the binary in
 * its command-line mode, as the installed launcher starts it (headless on Linux) — the script given
 * to it would start the app's window instead.
 */
export function selfCommand(runtime: CliRuntime, args: readonly string[]): { file: string; args: string[] } {
  if (!runtime.electron) return { file: runtime.execPath, args: [...runtime.execArgv, runtime.script, ...args] };
  const headless = runtime.platform === 'linux' ? ['--ozone-platform=headless', '--disable-gpu'] : [];
  // out/cli/benchtop.js is two folders below the app path.
  const appPath = runtime.defaultApp ? [resolve(dirname(runtime.script), '..', '..')] : [];
  return { file: runtime.execPath, args: [...appPath, ...headless, CLI_MODE_SWITCH, '--', ...args] };
}
