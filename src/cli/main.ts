import { BENCHTOP_VERSION } from '../main/core/version';
import { GLOBAL_OPTIONS, UsageError, flag, parseArgs, type ParsedArgs } from './args';
import { commandIndex, commandLineText, failed, parseCommandArgs, settle, usageFailure, withInterrupt } from './command-line';
import { COMMANDS } from './commands';
import type { Command } from './commands/types';
import { EXIT } from './exit-codes';
import { commandHelp, mainHelp } from './help';
import { runLight } from './light-run';

/** How long a cancelled command may take to clean up after Ctrl-C before the process quits anyway. */
const INTERRUPT_GRACE_MS = 5_000;

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
    args = parseCommandArgs(argv, at, command);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(argv, error, command);
    throw error;
  }
  if (flag(args, 'help')) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return EXIT.OK;
  }
  const commandLine = commandLineText(argv, at, command);
  // One SIGINT handler from here on: until the core is up (a fast path, or the core loading) Ctrl-C
  // simply ends the process with 130; then it becomes the core's clean-up.
  return withInterrupt((onInterrupt) =>
    command.light?.applies(args) ? runLight(command, args, commandLine, onInterrupt) : runCore(command, args, commandLine, onInterrupt));
}

async function runCore(command: Command, args: ParsedArgs, commandLine: string, onInterrupt: (action: () => void) => void): Promise<number> {
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
export const finished: Promise<void> = settle(main(process.argv.slice(2)));
