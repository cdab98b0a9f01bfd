import { randomUUID } from 'node:crypto';
import { createHandlers } from '../main/core/api';
import type { Handlers } from '../main/core/api/types';
import { Core } from '../main/core/core';
import { openConfSettings } from '../main/core/settings/conf-store';
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

export function createCliContext(args: ParsedArgs, io = { out: process.stdout, err: process.stderr }): CliContext {
  const core = new Core({ settings: openConfSettings(), shell: 'cli' });
  return {
    core,
    handlers: createHandlers(core),
    json: flag(args, 'json'),
    args,
    out: (text) => void io.out.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void io.err.write(text.endsWith('\n') ? text : `${text}\n`),
    newOpId: () => `cli-${randomUUID()}`,
  };
}
