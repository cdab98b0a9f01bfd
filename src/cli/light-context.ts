import { join } from 'node:path';
import { coreLogger } from '../main/core/log/core-logger';
import type { Logger } from '../main/core/log/logger';
import { defaultSettingsDir } from '../main/core/settings/settings-dir';
import { flag, type ParsedArgs } from './args';

/**
 * What a command's fast path gets instead of the whole core: the command line, output and the log.
 * Loading the core (every service and the packages they use) is most of a short command's start-up,
 * so a command that can answer with one small service (`engine` for this computer) does so here.
 */
export interface LightContext {
  args: ParsedArgs;
  json: boolean;
  env: NodeJS.ProcessEnv;
  log: Logger;
  out(text: string): void;
  err(text: string): void;
}

export function createLightContext(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): LightContext {
  const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text.endsWith('\n') ? text : `${text}\n`);
  // The same log file the full context writes: <settings dir>/logs.
  const logDir = join(defaultSettingsDir(env), 'logs');
  return {
    args,
    json: flag(args, 'json'),
    env,
    log: coreLogger(logDir, 'cli', { stderr: flag(args, 'verbose') ? 'debug' : undefined }),
    out: write(process.stdout),
    err: write(process.stderr),
  };
}
