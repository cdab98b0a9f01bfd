import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ForwarderClient, type StartedForwarder } from '../main/core/forwarder/client';
import { forwarderSocketPath } from '../main/core/forwarder/paths';
import type { Logger } from '../main/core/log/logger';
import { redact } from '../main/core/log/redact';
import { currentRuntime, selfCommand } from './self-command';

/**
 * The client of the per-user forwarder for this settings folder. It starts the forwarder as this
 * same program (`benchtop forwarder serve`, with node's own flags, so a source checkout run through
 * tsx starts the source too; the app binary in its command-line mode: ./self-command.ts), detached
 * and without a terminal, so it outlives the command. Its stderr goes to logs/forwarder.stderr (what
 * a crash says before the log is set up).
 */
export function cliForwarder(settingsDir: string, env: NodeJS.ProcessEnv, log: Logger): ForwarderClient {
  return new ForwarderClient({
    socketPath: forwarderSocketPath(settingsDir),
    log: log.child('forwarder'),
    start: () => startForwarder(join(settingsDir, 'logs'), env, log),
  });
}

function startForwarder(logDir: string, env: NodeJS.ProcessEnv, log: Logger): StartedForwarder {
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const stderrPath = join(logDir, 'forwarder.stderr');
  const stderr = openSync(stderrPath, 'w', 0o600);
  let ended: string | undefined;
  try {
    const self = selfCommand(currentRuntime(), ['forwarder', 'serve']);
    const child = spawn(self.file, self.args, {
      detached: true, stdio: ['ignore', 'ignore', stderr], env, windowsHide: true,
    });
    child.once('error', (error) => {
      ended = `it could not be started (${error.message})`;
      log.error('could not start the forwarder', { error });
    });
    child.once('exit', (code, signal) => {
      const said = tail(stderrPath);
      ended = `it exited with ${code ?? signal}${said ? `:\n${said}` : ''}`;
    });
    child.unref();
  } finally {
    closeSync(stderr);
  }
  return { ended: () => ended };
}

function tail(path: string): string {
  try {
    return redact(readFileSync(path, 'utf8').trim().split('\n').slice(-10).join('\n'));
  } catch (error) {
    return `(its output could not be read: ${(error as Error).message})`;
  }
}

/** BENCHTOP_FORWARDER=off: each command forwards for itself (URLs then die with the command). */
export function forwarderWanted(env: NodeJS.ProcessEnv): boolean {
  return env.BENCHTOP_FORWARDER !== 'off';
}
