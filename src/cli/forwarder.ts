import { spawn } from 'node:child_process';
import { ForwarderClient } from '../main/core/forwarder/client';
import { forwarderSocketPath } from '../main/core/forwarder/paths';
import type { Logger } from '../main/core/log/logger';

/**
 * The client of the per-user forwarder for this settings folder. It starts the forwarder as this
 * same program (`benchtop forwarder serve`, with node's own flags, so a source checkout run through
 * tsx starts the source too), detached and without a terminal, so it outlives the command.
 */
export function cliForwarder(settingsDir: string, env: NodeJS.ProcessEnv, log: Logger): ForwarderClient {
  return new ForwarderClient({
    socketPath: forwarderSocketPath(settingsDir),
    log: log.child('forwarder'),
    start: () => {
      const child = spawn(process.execPath, [...process.execArgv, process.argv[1], 'forwarder', 'serve'], {
        detached: true, stdio: 'ignore', env, windowsHide: true,
      });
      child.once('error', (error) => log.error('could not start the forwarder', { error }));
      child.unref();
    },
  });
}

/** BENCHTOP_FORWARDER=off: each command forwards for itself (URLs then die with the command). */
export function forwarderWanted(env: NodeJS.ProcessEnv): boolean {
  return env.BENCHTOP_FORWARDER !== 'off';
}
