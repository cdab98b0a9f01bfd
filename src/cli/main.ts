import { toErrorInfo } from '../main/core/errors';
import { BENCHTOP_VERSION } from '../main/core/version';
import { flag, parseArgs } from './args';
import { COMMANDS } from './commands';
import { EXIT } from './exit-codes';
import { formatError } from './output';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `benchtop ${BENCHTOP_VERSION} — identical Jupyter analysis environments, locally or on GPU hosts

Usage: benchtop <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width + 2)}${c.summary}`).join('\n')}

Options:
  --json      machine-readable output on stdout (errors too, as {"error":{code,message,hint}})
  --help, -h  help for benchtop or a command
  --version   print the version

Exit codes: 0 done and fine, 1 done and the answer is no (a check failed, drift found),
            2 could not do it (see the error code), 64 wrong command line.

Settings live in $BENCHTOP_HOME (default: the app's settings folder), shared with the desktop app.
BENCHTOP_BROWSER=none keeps \`up\` and \`open\` from opening a browser.`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const [name] = args.positional;
  if (flag(args, 'version')) {
    process.stdout.write(`${BENCHTOP_VERSION}\n`);
    return EXIT.OK;
  }
  if (!name || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name || flag(args, 'help') ? EXIT.OK : EXIT.USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`benchtop: unknown command "${name}". Run \`benchtop --help\` for the list.\n`);
    return EXIT.USAGE;
  }
  if (flag(args, 'help')) {
    process.stdout.write(`${command.usage}\n`);
    return EXIT.OK;
  }
  args.positional.shift();
  // The core (every service, the settings file, the engine client) is loaded only for a command
  // that runs: `--version` and `--help` answer without it.
  const { createCliContext } = await import('./context');
  const ctx = createCliContext(args);
  try {
    return await command.run(ctx);
  } catch (error) {
    const info = toErrorInfo(error);
    if (ctx.json) ctx.out(JSON.stringify({ error: info }, null, 2));
    else ctx.err(formatError(info));
    return info.code === 'INVALID_ARGUMENT' ? EXIT.USAGE : EXIT.ERROR;
  } finally {
    await ctx.core.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${formatError(toErrorInfo(error))}\n`);
    process.exitCode = EXIT.ERROR;
  },
);
