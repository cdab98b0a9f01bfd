import { toErrorInfo } from '../main/core/errors';
import type { Logger } from '../main/core/log/logger';
import { parseArgs, type ParsedArgs, type UsageError } from './args';
import type { Command } from './commands/types';
import { EXIT } from './exit-codes';
import { commandOptions } from './help';
import { formatError } from './output';

// What every way of running a command shares: the full entry (./main.ts) and the start-up front (./fast.ts).

/** The command word: the first one that is not an option (only global flags, which take no value, may precede it). */
export function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--') return -1;
    if (!argv[i].startsWith('-')) return i;
  }
  return -1;
}

/** The command's own options, parsed strictly: the words before and after the command word. Throws UsageError. */
export function parseCommandArgs(argv: readonly string[], at: number, command: Command): ParsedArgs {
  return parseArgs([...argv.slice(0, at), ...argv.slice(at + 1)], commandOptions(command));
}

/** `benchtop <command> <its arguments>`, as the log records it. */
export function commandLineText(argv: readonly string[], at: number, command: Command): string {
  return `benchtop ${command.name} ${argv.slice(at + 1).join(' ')}`.trim();
}

/** Refuses a wrong command line with 64, as JSON when --json was asked for (scripts parse stdout). */
export function usageFailure(argv: readonly string[], error: UsageError, command?: Command): number {
  const where = command ? `benchtop ${command.name}` : 'benchtop';
  const hint = `Run \`${where} --help\` for its options.`;
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ error: { code: 'INVALID_ARGUMENT', message: `${where}: ${error.message}`, hint } }, null, 2)}\n`);
  } else {
    process.stderr.write(`${where}: ${error.message}\n  hint: ${hint}\n`);
  }
  return EXIT.USAGE;
}

/** A command that threw: its error on stderr (or stdout as JSON), in the log, and exit 2 (64 for a wrong argument). */
export function failed(ctx: { json: boolean; out(text: string): void; err(text: string): void }, log: Logger, command: Command, error: unknown): number {
  const info = toErrorInfo(error);
  log.error(`benchtop ${command.name} failed`, { error });
  if (ctx.json) ctx.out(JSON.stringify({ error: info }, null, 2));
  else ctx.err(formatError(info));
  return info.code === 'INVALID_ARGUMENT' ? EXIT.USAGE : EXIT.ERROR;
}

/**
 * Runs a command under one SIGINT handler from start to exit: until `run` hands over its clean-up
 * through `onInterrupt`, Ctrl-C simply ends the process with 130, since nothing is open that needs
 * closing; then Ctrl-C calls that clean-up.
 */
export async function withInterrupt(run: (onInterrupt: (action: () => void) => void) => Promise<number>): Promise<number> {
  let interrupt: () => void = () => process.exit(EXIT.INTERRUPTED);
  const onSigint = () => interrupt();
  process.on('SIGINT', onSigint);
  try {
    return await run((action) => { interrupt = action; });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** This process's outcome: the exit code in process.exitCode, or an unexpected failure on stderr and 2. */
export function settle(outcome: Promise<number>): Promise<void> {
  return outcome.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${formatError(toErrorInfo(error))}\n`);
      process.exitCode = EXIT.ERROR;
    },
  );
}
