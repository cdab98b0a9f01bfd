import { toErrorInfo } from '../main/core/errors';
import { BENCHTOP_VERSION } from '../main/core/version';
import { GLOBAL_OPTIONS, UsageError, flag, parseArgs, type ParsedArgs } from './args';
import { COMMANDS } from './commands';
import type { Command } from './commands/types';
import { EXIT } from './exit-codes';
import { commandHelp, commandOptions, mainHelp } from './help';
import { createLightContext } from './light-context';
import { formatError } from './output';
import type { Logger } from '../main/core/log/logger';

/** How long a cancelled command may take to clean up after Ctrl-C before the process quits anyway. */
const INTERRUPT_GRACE_MS = 5_000;

/** The command word: the first one that is not an option (only global flags, which take no value, may precede it). */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--') return -1;
    if (!argv[i].startsWith('-')) return i;
  }
  return -1;
}

/** Refuses a wrong command line with 64, as JSON when --json was asked for (scripts parse stdout). */
function usageFailure(argv: readonly string[], error: UsageError, command?: Command): number {
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
function failed(ctx: { json: boolean; out(text: string): void; err(text: string): void }, log: Logger, command: Command, error: unknown): number {
  const info = toErrorInfo(error);
  log.error(`benchtop ${command.name} failed`, { error });
  if (ctx.json) ctx.out(JSON.stringify({ error: info }, null, 2));
  else ctx.err(formatError(info));
  return info.code === 'INVALID_ARGUMENT' ? EXIT.USAGE : EXIT.ERROR;
}

export async function main(argv: readonly string[]): Promise<number> {
  const at = commandIndex(argv);
  const name = at >= 0 ? argv[at] : undefined;
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    let args: ParsedArgs;
    try {
      args = parseArgs(at >= 0 ? argv.slice(0, at) : argv, { ...GLOBAL_OPTIONS, version: { type: 'boolean', help: '' } });
    } catch (error) {
      if (error instanceof UsageError) return usageFailure(argv, error);
      throw error;
    }
    if (flag(args, 'version')) {
      process.stdout.write(`${BENCHTOP_VERSION}\n`);
      return EXIT.OK;
    }
    if (!name || name === 'help') {
      process.stdout.write(`${mainHelp(COMMANDS)}\n`);
      return name || flag(args, 'help') ? EXIT.OK : EXIT.USAGE;
    }
    process.stderr.write(`benchtop: unknown command "${name}". Run \`benchtop --help\` for the list.\n`);
    return EXIT.USAGE;
  }
  // Only this command's code loads (its options, help and run), not the other commands'.
  const command = await entry.load();
  let args: ParsedArgs;
  try {
    args = parseArgs([...argv.slice(0, at), ...argv.slice(at + 1)], commandOptions(command));
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(argv, error, command);
    throw error;
  }
  if (flag(args, 'help')) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return EXIT.OK;
  }
  const commandLine = `benchtop ${command.name} ${argv.slice(at + 1).join(' ')}`.trim();
  // One SIGINT handler from here on: until the core is up (a fast path, or the core loading) Ctrl-C
  // simply ends the process with 130, since nothing is open that needs closing; then `interrupt`
  // becomes the core's clean-up.
  let interrupt: () => void = () => process.exit(EXIT.INTERRUPTED);
  const onSigint = () => interrupt();
  process.on('SIGINT', onSigint);
  try {
    return await runCommand(command, args, commandLine, (action) => { interrupt = action; });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function runCommand(command: Command, args: ParsedArgs, commandLine: string, onInterrupt: (action: () => void) => void): Promise<number> {
  if (command.runLight) {
    const light = createLightContext(args);
    const log = light.log.child('cli');
    log.info(commandLine, { version: BENCHTOP_VERSION, cwd: process.cwd(), path: 'light' });
    // A fast path holds no connection worth closing (the log is written synchronously).
    onInterrupt(() => {
      log.info('interrupted (SIGINT)');
      process.exit(EXIT.INTERRUPTED);
    });
    try {
      const code = await command.runLight(light);
      if (code !== undefined) {
        log.info(`benchtop ${command.name} exited ${code}`);
        return code;
      }
      log.debug(`benchtop ${command.name}: this command line needs the core`);
    } catch (error) {
      return failed(light, log, command, error);
    }
  }
  // The core (every service, the settings file, the engine client) is loaded only for a command
  // that runs: `--version`, `--help` and a wrong command line answer without it.
  const { createCliContext } = await import('./context');
  const ctx = createCliContext(args);
  // Ctrl-C cancels every running operation (a pull stops, a half-started session is cleaned up) and
  // the command returns through its own clean-up and core.close(), which closes SSH connections and
  // engine streams; then the exit code is 130. A second Ctrl-C, or a clean-up that hangs, quits at once.
  let interrupted = false;
  onInterrupt(() => {
    if (interrupted) process.exit(EXIT.INTERRUPTED);
    interrupted = true;
    ctx.core.log.info('interrupted (SIGINT): cancelling every operation');
    process.stderr.write('\nInterrupted: cancelling (Ctrl-C again to quit now)…\n');
    ctx.core.ops.cancelAll();
    setTimeout(() => process.exit(EXIT.INTERRUPTED), INTERRUPT_GRACE_MS).unref();
  });
  const log = ctx.core.log.child('cli');
  log.info(commandLine, { version: BENCHTOP_VERSION, cwd: process.cwd() });
  try {
    const code = await command.run(ctx);
    log.info(`benchtop ${command.name} exited ${interrupted ? EXIT.INTERRUPTED : code}`);
    return interrupted ? EXIT.INTERRUPTED : code;
  } catch (error) {
    if (interrupted) {
      log.info(`benchtop ${command.name} exited ${EXIT.INTERRUPTED} (interrupted)`);
      return EXIT.INTERRUPTED;
    }
    return failed(ctx, log, command, error);
  } finally {
    await ctx.core.close();
  }
}

/**
 * This process's command line, run. Under node the process ends once it settles; the app binary's
 * command-line mode (src/main/cli-mode/run.ts) waits on it, then exits with process.exitCode.
 */
export const finished: Promise<void> = main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${formatError(toErrorInfo(error))}\n`);
    process.exitCode = EXIT.ERROR;
  },
);
