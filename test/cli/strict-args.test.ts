import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands';
import { runCli } from '../support/cli';

const root = new URL('../..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'bt-test-cli-args-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const benchtop = (args: string[]) => runCli('source', args, { env: { BENCHTOP_HOME: home }, cwd: root });

describe('a strict command line', () => {
  // Each command as its own process, the way a user types it: a wrong option never starts the work.
  it.each(COMMANDS.map((c) => c.name))('`benchtop %s --no-such-option` exits 64 and names the option', async (name) => {
    const { code, stdout, stderr } = await benchtop([name, '--no-such-option']);
    expect(code).toBe(64);
    expect(stdout).toBe('');
    expect(stderr).toContain(`benchtop ${name}: unknown option --no-such-option`);
    expect(stderr).toContain(`benchtop ${name} --help`);
  });

  it('a typo gets the closest option, and nothing runs (`up --taget gpu-box`)', async () => {
    const { code, stderr } = await benchtop(['up', home, '--taget', 'gpu-box']);
    expect(code).toBe(64);
    expect(stderr).toContain('unknown option --taget (did you mean --target?)');
  });

  it('an option missing its value exits 64, also when the next word is another option', async () => {
    const missing = await benchtop(['engine', '--target']);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('--target needs a value (--target local|HOST)');
    const swallowed = await benchtop(['engine', '--target', '--json']);
    expect(swallowed.code).toBe(64);
    expect(swallowed.stdout).toContain('"code": "INVALID_ARGUMENT"');
    expect(swallowed.stdout).toContain('--target needs a value');
  });

  it('a flag given a value exits 64', async () => {
    const { code, stderr } = await benchtop(['ps', '--json=yes']);
    expect(code).toBe(64);
    expect(stderr).toContain('--json takes no value');
  });

  it('an unknown option before any command exits 64 too', async () => {
    const { code, stderr } = await benchtop(['--verison']);
    expect(code).toBe(64);
    expect(stderr).toContain('unknown option --verison (did you mean --version?)');
  });

  it('each command prints its options from its spec with --help', async () => {
    const { code, stdout } = await benchtop(['up', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^benchtop up \[DIR\]/);
    expect(stdout).toMatch(/--target local\|HOST(\|CLUSTER)?\s+where: this computer/);
    expect(stdout).toMatch(/--no-open\s+do not open/);
    expect(stdout).toMatch(/-h, --help\s+print this help/);
    const logs = await benchtop(['logs', '-h']);
    expect(logs.stdout).toMatch(/-f, --follow/);
  });
});
