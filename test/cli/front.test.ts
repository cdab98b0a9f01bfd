import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands';
import { FAST_COMMANDS } from '../../src/cli/fast';
import { runCli } from '../support/cli';
import { SilentEngines } from '../support/silent-engine';
import { eventually } from '../session/support';

// The start-up front (src/cli/fast.ts → out/cli/fast.cjs, which bin/benchtop.js runs first) answers
// `--version` and the engine/check fast paths itself and hands every other command line to the full
// CLI. Whichever answers, the user must see exactly what the full CLI (src/cli/main.ts) prints.

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'bt-test-front-'));
const home = join(scratch, 'home');
const hangingSocket = join(scratch, 'hanging.sock');
const engines = new SilentEngines();

const bundle = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli('bundle', args, { env: { BENCHTOP_HOME: home, ...env }, cwd: root });
const source = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli('source', args, { env: { BENCHTOP_HOME: home, ...env }, cwd: root });

beforeAll(async () => {
  await run(process.execPath, [join(root, 'scripts/build-cli.mjs')]);
  await engines.listen(hangingSocket);
});
afterAll(async () => {
  await engines.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the start-up front', () => {
  it('serves only commands of the table that have a fast path', async () => {
    for (const command of FAST_COMMANDS) {
      const entry = COMMANDS.find((c) => c.name === command.name);
      expect(entry, command.name).toBeDefined();
      expect(await entry?.load()).toBe(command);
      expect(command.light).toBeDefined();
    }
    for (const entry of COMMANDS) expect((await entry.load()).name).toBe(entry.name);
  });

  it.each([
    [['--version']],
    [['engine', '--json']],
    [['engine', '--target', 'no-such-host', '--json']],
    [['engine', '--taget', 'x']],
    [['engine', '--help']],
    [['check', '--no-such-option', '--json']],
    [['check', '--target', 'no-such-cluster']],
    [['frobnicate']],
  ])('`benchtop %s` prints and exits as the full CLI does', async (args) => {
    const [front, full] = await Promise.all([bundle(args), source(args)]);
    expect(front).toEqual(full);
  });

  it('answers `check` on its fast path with the same report, and logs it', async () => {
    const [front, full] = await Promise.all([bundle(['check', '--json']), source(['check', '--json'])]);
    expect(front.code).toBe(full.code);
    type Report = { results: { id: string; status: string }[] };
    const statuses = (stdout: string) => (JSON.parse(stdout) as Report).results.map((r) => `${r.id} ${r.status}`);
    expect(statuses(front.stdout)).toEqual(statuses(full.stdout));
    const log = readFileSync(join(home, 'logs', 'benchtop.log'), 'utf8');
    expect(log).toMatch(/cli: benchtop check --json \{.*"path":"light"/);
    expect(log).toContain(`cli: benchtop check exited ${front.code}`);
  });

  it('ends a fast path on Ctrl-C with 130', async () => {
    const ctrlcHome = join(scratch, 'ctrl-c');
    const child = spawn(process.execPath, [join(root, 'bin/benchtop.js'), 'engine'], {
      cwd: scratch, env: { ...process.env, BENCHTOP_HOME: ctrlcHome, DOCKER_HOST: `unix://${hangingSocket}` },
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const logFile = join(ctrlcHome, 'logs', 'benchtop.log');
    await eventually(() => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('cli: benchtop engine'));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(readFileSync(logFile, 'utf8')).toContain('interrupted (SIGINT)');
  });
});
