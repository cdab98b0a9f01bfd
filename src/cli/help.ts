import { BENCHTOP_VERSION } from '../main/core/version';
import { GLOBAL_OPTIONS, optionsHelp, type OptionSpecs } from './args';
import type { CommandEntry } from './commands';
import type { Command } from './commands/types';

/** Everything a command accepts: its own options, then the global ones. */
export function commandOptions(command: Command): OptionSpecs {
  return { ...command.options, ...GLOBAL_OPTIONS };
}

/** `benchtop <command> --help`: the command's synopsis and description, then its options from the spec. */
export function commandHelp(command: Command): string {
  return `${command.usage}\n\nOptions:\n${optionsHelp(commandOptions(command))}`;
}

export function mainHelp(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `benchtop ${BENCHTOP_VERSION} — identical Jupyter analysis environments, locally or on GPU hosts

Usage: benchtop <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width + 2)}${c.summary}`).join('\n')}

Options:
${optionsHelp({ ...GLOBAL_OPTIONS, version: { type: 'boolean', help: 'print the version' } })}

Exit codes: 0 done and fine, 1 done and the answer is no (a check failed, drift found),
            2 could not do it (see the error code), 64 wrong command line, 130 interrupted (Ctrl-C).

Settings live in $BENCHTOP_HOME (default: the app's settings folder), shared with the desktop app.
BENCHTOP_BROWSER=none keeps \`up\` and \`open\` from opening a browser.`;
}
