import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

const root = new URL('../..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'bt-test-cli-log-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const benchtop = (...args: string[]) => runCli('source', args, { env: { BENCHTOP_HOME: home }, cwd: root });
const logFile = join(home, 'logs', 'benchtop.log');

describe('the CLI\'s log', () => {
  it('every command writes <settings folder>/logs/benchtop.log; --verbose also copies it to stderr', async () => {
    const quiet = await benchtop('engine', '--json');
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(existsSync(logFile)).toBe(true);
    expect(readFileSync(logFile, 'utf8')).toMatch(/ INFO {2}\[cli \d+\] cli: benchtop engine --json /);

    const verbose = await benchtop('engine', '--json', '--verbose');
    expect(verbose.code).toBe(0);
    // stdout stays the answer alone; the log lines go to stderr.
    expect(JSON.parse(verbose.stdout)).toMatchObject({ target: 'local' });
    expect(verbose.stderr).toMatch(/INFO {2}\[cli \d+\] cli: benchtop engine --json --verbose/);
    expect(verbose.stderr).toMatch(/cli: benchtop engine exited 0/);
  });

  it('`benchtop diagnostics` prints the machine check report and the end of the log', async () => {
    const { code, stdout } = await benchtop('diagnostics');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Benchtop \S+ diagnostics, \d{4}-/);
    expect(stdout).toContain('== Machine check ==');
    expect(stdout).toMatch(/^✓ .*engine/im);
    expect(stdout).toContain(`== Recent log (${join(home, 'logs')}) ==`);
    expect(stdout).toContain('cli: benchtop engine --json --verbose');
    expect(stdout).toContain('api: call diagnostics');
  });
});
