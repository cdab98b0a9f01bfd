import { pathToFileURL } from 'node:url';
import { BenchtopError, toErrorInfo } from '../core/errors';

/** What the bundled CLI (out/cli/benchtop.js, built from src/cli/main.ts) exports. */
interface CliBundle {
  /** Settles once the command line ran and process.exitCode holds its exit code. */
  finished?: Promise<void>;
}

const REINSTALL = 'Reinstall Benchtop, or run the CLI from a source checkout (npm run link-cli).';

/** How a failure to start the CLI is shown on stderr (the CLI's own format: error[CODE]: message, hint). */
export function cliStartFailure(error: unknown): string {
  const info = toErrorInfo(error);
  return `benchtop: error[${info.code}]: ${info.message}${info.hint ? `\n  hint: ${info.hint}` : ''}\n`;
}

/** Resolves once every write queued on the stream so far has reached the terminal, pipe or file. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((done) => {
    if (stream.destroyed || !stream.writable) done();
    else stream.write('', () => done());
  });
}

/**
 * Runs the bundled CLI in this process with `args` as its command line, exactly as
 * `node out/cli/benchtop.js ARGS` would (same process.argv, stdin, stdout, stderr, SIGINT handling),
 * and resolves with its exit code once stdout and stderr are written out. The caller exits with it:
 * an app's main process does not end on its own when the CLI is done.
 */
export async function runBundledCli(script: string, args: readonly string[]): Promise<number> {
  process.argv = [process.execPath, script, ...args];
  let cli: CliBundle;
  try {
    cli = (await import(/* @vite-ignore */ pathToFileURL(script).href)) as CliBundle;
  } catch (error) {
    throw new BenchtopError('INTERNAL', `The command line bundled in this app could not be loaded from ${script}: ${toErrorInfo(error).message}`, REINSTALL, { cause: error });
  }
  if (!cli.finished) throw new BenchtopError('INTERNAL', `${script} is not Benchtop's command-line bundle (it exports no "finished").`, REINSTALL);
  await cli.finished;
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  const code = Number(process.exitCode ?? 0);
  return Number.isInteger(code) ? code : 2;
}
