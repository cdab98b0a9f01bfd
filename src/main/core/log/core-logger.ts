import { rotatingFileSink, stderrSink } from './file-sink';
import { createLogger, type Logger, type LogLevel } from './logger';

export interface CoreLoggerOptions {
  /** Also write lines of this level and above to stderr (`--verbose`: debug). */
  stderr?: LogLevel;
}

/**
 * The logger a shell gives its Core: the rotating file `<dir>/benchtop.log` at debug level (what a
 * user attaches to a bug report), and stderr when asked. Lines are tagged with the shell and pid,
 * since the app, the bridge and CLI runs may share one folder.
 */
export function coreLogger(dir: string, shell: string, { stderr }: CoreLoggerOptions = {}): Logger {
  const sinks = [rotatingFileSink(dir), ...(stderr ? [stderrSink(stderr)] : [])];
  return createLogger(sinks, `${shell} ${process.pid}`);
}
