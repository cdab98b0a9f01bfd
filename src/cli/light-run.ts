import { BENCHTOP_VERSION } from '../main/core/version';
import type { ParsedArgs } from './args';
import { failed } from './command-line';
import type { Command } from './commands/types';
import { EXIT } from './exit-codes';
import { createLightContext } from './light-context';

/**
 * A command line on its command's fast path (`command.light`, which must apply to `args`): the
 * command line, output and the log, and none of the core. Logged like a core run, with path 'light'.
 */
export async function runLight(command: Command, args: ParsedArgs, commandLine: string, onInterrupt: (action: () => void) => void): Promise<number> {
  if (!command.light) throw new Error(`benchtop ${command.name} has no fast path`);
  const light = createLightContext(args);
  const log = light.log.child('cli');
  log.info(commandLine, { version: BENCHTOP_VERSION, cwd: process.cwd(), path: 'light' });
  // A fast path holds no connection worth closing (the log is written synchronously).
  onInterrupt(() => {
    log.info('interrupted (SIGINT)');
    process.exit(EXIT.INTERRUPTED);
  });
  try {
    const code = await command.light.run(light);
    log.info(`benchtop ${command.name} exited ${code}`);
    return code;
  } catch (error) {
    return failed(light, log, command, error);
  }
}
