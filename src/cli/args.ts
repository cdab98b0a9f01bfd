import { parseArgs as parseStrict } from 'node:util';

/** One option of a command: its type, an optional one-letter alias, and the line `--help` prints for it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help for a string option's value (`--target HOST`). */
  value?: string;
  help: string;
}

/** A command's options by long name (without the dashes). The help's option list is printed from it. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  json: { type: 'boolean', help: 'machine-readable output on stdout (errors too, as {"error":{code,message,hint}})' },
  verbose: { type: 'boolean', help: 'also write the log (debug level, secrets masked) to stderr' },
  help: { type: 'boolean', short: 'h', help: 'print this help' },
};

/** Parsed command line: positional words and the options given (`true` for a flag). */
export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

/** A command line the spec refuses: exits 64 (EXIT.USAGE) with this message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses `argv` against `specs` strictly (node's util.parseArgs, strict: true): an option not in the
 * spec, a string option without its value, or a value given to a flag is a UsageError naming the
 * option, with the closest known one when there is a likely typo.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs = GLOBAL_OPTIONS): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs)) options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  let parsed: ReturnType<typeof parseStrict>;
  try {
    parsed = parseStrict({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageErrorFrom(error, argv, specs);
  }
  const given = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') given.set(name, value);
    else if (value === true) given.set(name, true);
  }
  return { positional: [...parsed.positionals], options: given };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

/** The option lines of a help text, from the spec: `  --target HOST   where it runs`. */
export function optionsHelp(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const long = `--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    return [spec.short ? `-${spec.short}, ${long}` : `    ${long}`, spec.help] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, help]) => `  ${left.padEnd(width + 2)}${help}`).join('\n');
}

function usageErrorFrom(error: unknown, argv: readonly string[], specs: OptionSpecs): Error {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const word = /'([^']+)'/.exec(message)?.[1] ?? '';
    const typed = word.replace(/^-+/, '').split('=')[0];
    const guess = closest(typed, Object.keys(specs));
    return new UsageError(`unknown option ${word}${guess ? ` (did you mean --${guess}?)` : ''}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /'--?([a-z0-9-]+)/i.exec(message)?.[1] ?? '';
    const long = specs[name] ? name : Object.entries(specs).find(([, s]) => s.short === name)?.[0] ?? name;
    const spec = specs[long];
    if (spec?.type === 'boolean') return new UsageError(`--${long} takes no value`);
    const given = argv.some((word) => word === `--${long}` || word === `-${spec?.short ?? '\0'}`);
    return new UsageError(given ? `--${long} needs a value (--${long} ${spec?.value ?? 'VALUE'})` : message);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError(message);
  return error instanceof Error ? error : new Error(message);
}

/** The known name within edit distance 2 (or sharing the typed prefix), if there is exactly a best one. */
function closest(typed: string, names: readonly string[]): string | undefined {
  if (!typed) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = name.startsWith(typed) || typed.startsWith(name) ? 1 : editDistance(typed, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(typed.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
