import { randomUUID } from 'node:crypto';
import { createHandlers } from '../main/core/api';
import type { Handlers } from '../main/core/api/types';
import { Core } from '../main/core/core';
import { systemDesktop } from '../main/core/desktop';
import { forwarderPortAccess } from '../main/core/forwarder/port-access';
import { coreLogger } from '../main/core/log/core-logger';
import { cliForwarder, forwarderWanted } from './forwarder';
import { openConfSettings } from '../main/core/settings/conf-store';
import { dirname, join } from 'node:path';
import type { ParsedArgs } from './args';
import { flag } from './args';

/** What every command gets: the core, its handlers (the same the app calls) and output helpers. */
export interface CliContext {
  core: Core;
  handlers: Handlers;
  json: boolean;
  args: ParsedArgs;
  out(text: string): void;
  err(text: string): void;
  newOpId(): string;
}

export function createCliContext(args: ParsedArgs, io = { out: process.stdout, err: process.stderr }, env: NodeJS.ProcessEnv = process.env): CliContext {
  const out = (text: string) => void io.out.write(text.endsWith('\n') ? text : `${text}\n`);
  const err = (text: string) => void io.err.write(text.endsWith('\n') ? text : `${text}\n`);
  // `up` and `open` show the notebook in the default browser (unless BENCHTOP_BROWSER=none); when
  // none can be started, a note goes to stderr and the URL is still printed on stdout.
  const desktop = systemDesktop({ env, notice: err });
  const settings = openConfSettings();
  // The same log folder as the test bridge (<settings dir>/logs); --verbose adds every line on stderr.
  const logDir = join(dirname(settings.path), 'logs');
  const log = coreLogger(logDir, 'cli', { stderr: flag(args, 'verbose') ? 'debug' : undefined });
  // Host sessions' notebook ports go through the per-user forwarder, so a URL this command prints
  // keeps answering after it exits (`benchtop forwarder --help`).
  const forwarder = forwarderWanted(env) ? cliForwarder(dirname(settings.path), env, log) : undefined;
  const ports = forwarder ? forwarderPortAccess(forwarder) : undefined;
  const core = new Core({ settings, shell: 'cli', desktop, env, logDir, log, ports });
  // A Slurm job's notebook (a compute node, reached from the login node) goes through the same forwarder.
  if (forwarder) core.slurm.forward = (target, host, port) => forwarder.forward(target, port, host);
  return {
    core,
    handlers: createHandlers(core),
    json: flag(args, 'json'),
    args,
    out,
    err,
    newOpId: () => `cli-${randomUUID()}`,
  };
}
