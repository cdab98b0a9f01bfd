import { execFile, type ExecFileOptions } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI as the user would and returns its exit code and output (a non-zero exit is a result,
 * not an error). `env` is laid over this process's environment; a key set to undefined is removed.
 * `from: 'source'` runs src/cli/main.ts through tsx (the same main the bundle runs; no bundle, so
 * parallel test files never race on building it); `'bundle'` runs bin/benchtop.js, which the test
 * builds first with scripts/build-cli.mjs.
 */
export async function runCli(
  from: 'source' | 'bundle',
  args: string[],
  { env = {}, ...options }: Omit<ExecFileOptions, 'env'> & { env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  // Never launch a real browser from a test: `up` and `open` honour BENCHTOP_BROWSER=none.
  const merged: NodeJS.ProcessEnv = { ...process.env, BENCHTOP_BROWSER: 'none', ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  const main = from === 'source' ? ['--import', 'tsx', join(root, 'src/cli/main.ts')] : [join(root, 'bin/benchtop.js')];
  try {
    const { stdout, stderr } = await run(process.execPath, [...main, ...args], { ...options, env: merged, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
