/** Parsed command line: positional words and `--name[=value]` / `--name value` options. */
export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

/** Options that never take a value, so `--json up` does not swallow `up`. */
const FLAGS = new Set(['json', 'help', 'follow', 'refresh', 'yes', 'version', 'force', 'no-open', 'all', 'quiet']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i];
    if (word === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (word === '-h') {
      options.set('help', true);
    } else if (word === '-f') {
      options.set('follow', true);
    } else if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq >= 0 ? eq : undefined);
      if (eq >= 0) options.set(name, word.slice(eq + 1));
      else if (!FLAGS.has(name) && i + 1 < argv.length && !argv[i + 1].startsWith('-')) options.set(name, argv[++i]);
      else options.set(name, true);
    } else {
      positional.push(word);
    }
  }
  return { positional, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true || args.options.get(name) === 'true';
}
