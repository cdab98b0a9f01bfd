import { redact } from './redact';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra facts about a log line (ids, targets, the error). Secrets in them are masked like the message. */
export type LogFields = Record<string, unknown>;

/** Where log lines go: the rotating file, stderr for `--verbose`, a list in tests. */
export interface LogSink {
  /** The lowest level this sink writes. */
  readonly level: LogLevel;
  write(line: string): void;
}

/**
 * One logger for the whole core (`core.log`), with a scope per service (`core.log.child('sessions')`).
 * Every line is redacted before any sink sees it.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * For an error that is caught and deliberately not passed on (closing a stream that is already
   * gone, a best-effort clean-up): logs it at warn with what was being done, and returns undefined so
   * it can stand in for `() => undefined` in `.catch(…)`.
   */
  ignored(what: string, error: unknown): undefined;
  /** A logger whose lines carry `scope` (e.g. 'engine', 'hosts:gpu-box'). */
  child(scope: string): Logger;
  /** A value (a session's token, a password) masked wherever it appears in a later line. */
  addSecret(value: string | undefined): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The state children share with their root: sinks and known secrets. */
interface Shared {
  sinks: LogSink[];
  secrets: Set<string>;
  tag: string;
}

export function createLogger(sinks: LogSink[], tag = `${process.pid}`): Logger {
  return scoped({ sinks, secrets: new Set(), tag }, '');
}

/** A logger that writes nowhere (tests, benchmarks that build a Core without a log folder). */
export const silentLogger: Logger = createLogger([]);

function scoped(shared: Shared, scope: string): Logger {
  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    const sinks = shared.sinks.filter((s) => RANK[level] >= RANK[s.level]);
    if (!sinks.length) return;
    const line = redact(formatLine(level, shared.tag, scope, message, fields), shared.secrets);
    for (const sink of sinks) {
      try {
        sink.write(line);
      } catch {
        // A log that cannot be written (disk full, folder removed) must never break the work it logs.
      }
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    ignored(what, error) {
      write('warn', `ignored: ${what}`, { error });
      return undefined;
    },
    child: (name) => scoped(shared, scope ? `${scope}:${name}` : name),
    addSecret(value) {
      // Short values would mask ordinary words all over the log.
      if (value && value.length >= 8) shared.secrets.add(value);
    },
  };
}

function formatLine(level: LogLevel, tag: string, scope: string, message: string, fields?: LogFields): string {
  const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields, errorsAsFacts)}` : '';
  return `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${tag}]${scope ? ` ${scope}:` : ''} ${message}${extra}`;
}

/** Errors carry their code, message and the top of the stack into the line (JSON.stringify drops them). */
function errorsAsFacts(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const facts: Record<string, unknown> = { name: value.name, message: value.message };
  const { code, hint } = value as { code?: unknown; hint?: unknown };
  if (code !== undefined) facts.code = code;
  if (hint) facts.hint = hint;
  if (value.stack) facts.stack = value.stack.split('\n').slice(1, 6).map((l) => l.trim()).join(' | ');
  if (value.cause !== undefined) facts.cause = value.cause;
  return facts;
}
