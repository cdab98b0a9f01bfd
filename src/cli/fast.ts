import { BENCHTOP_VERSION } from '../main/core/version';
import { flag, type ParsedArgs } from './args';
import { commandIndex, commandLineText, parseCommandArgs, settle, withInterrupt } from './command-line';
import { checkCommand } from './commands/check';
import { engineCommand } from './commands/engine';
import type { Command } from './commands/types';
import { EXIT } from './exit-codes';
import { runLight } from './light-run';

/**
 * The CLI's start-up front: built on its own into one CommonJS file (out/cli/fast.cjs) that
 * bin/benchtop.js requires. It answers the command lines that need nothing else — `--version`, and
 * `engine` and `check` on their fast paths — through the same code as the full CLI, but without
 * node's ES module loader and without loading one module per chunk, which is much of a short
 * command's start-up. Any other command line (other commands, --help, a wrong option, a fast
 * command that needs the core) it leaves untouched, printing nothing, to the full CLI (./main.ts,
 * out/cli/benchtop.js), which parses it again.
 */
export const FAST_COMMANDS: readonly Command[] = [engineCommand, checkCommand];

/** How the front answers `argv`, or undefined when the full CLI must. */
function fastRun(argv: readonly string[]): (() => Promise<number>) | undefined {
  if (argv.length === 1 && argv[0] === '--version') {
    return async () => {
      process.stdout.write(`${BENCHTOP_VERSION}\n`);
      return EXIT.OK;
    };
  }
  const at = commandIndex(argv);
  const command = at >= 0 ? FAST_COMMANDS.find((c) => c.name === argv[at]) : undefined;
  if (!command?.light) return undefined;
  let args: ParsedArgs;
  try {
    args = parseCommandArgs(argv, at, command);
  } catch {
    return undefined; // refused: the full CLI says why, exactly as for every command
  }
  if (flag(args, 'help') || !command.light.applies(args)) return undefined;
  return () => withInterrupt((onInterrupt) => runLight(command, args, commandLineText(argv, at, command), onInterrupt));
}

/**
 * Runs `argv` when the front can answer it: resolves true once it ran (process.exitCode holds the
 * exit code), false when the full CLI must run it instead (nothing was printed or logged).
 */
export async function runFast(argv: readonly string[]): Promise<boolean> {
  const run = fastRun(argv);
  if (!run) return false;
  await settle(run());
  return true;
}
