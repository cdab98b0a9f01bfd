import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'bt-test-cli-'));

const benchtop = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli('bundle', args, { env: { BENCHTOP_HOME: home, ...env } });

describe('benchtop CLI', () => {
  beforeAll(async () => {
    await run(process.execPath, [join(root, 'scripts/build-cli.mjs')]);
  });

  it('--help lists commands and exit codes', async () => {
    const { code, stdout } = await benchtop(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: benchtop <command>/);
    expect(stdout).toMatch(/engine\s+Show which container engine/);
    expect(stdout).toMatch(/Exit codes: 0/);
  });

  it('--version matches package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect((await benchtop(['--version'])).stdout.trim()).toBe(pkg.version);
  });

  it('engine --json describes the real engine', async () => {
    const { code, stdout } = await benchtop(['engine', '--json']);
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as { engineKind: string; apiVersion: string; storageDriver: string; runtimes: string[] };
    expect(info.engineKind).toBe('docker');
    expect(info.apiVersion).toMatch(/^1\.\d+$/);
    expect(info.runtimes).toContain('runc');
  });

  it('engine prints a readable table', async () => {
    const { stdout } = await benchtop(['engine']);
    expect(stdout).toMatch(/API version:\s+1\.\d+/);
    expect(stdout).toMatch(/Storage driver:\s+\S+/);
  });

  it('fails with exit 2 and ENGINE_UNREACHABLE when no engine answers', async () => {
    const dead = join(home, 'dead.sock');
    const human = await benchtop(['engine'], { DOCKER_HOST: `unix://${dead}` });
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/^error\[ENGINE_UNREACHABLE\]: No container engine answers at .*dead\.sock/m);
    expect(human.stderr).toMatch(/hint: Start Docker/);
    const json = await benchtop(['engine', '--json'], { DOCKER_HOST: `unix://${dead}` });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.code).toBe('ENGINE_UNREACHABLE');
  });

  it('exits 64 on an unknown command', async () => {
    const { code, stderr } = await benchtop(['frobnicate']);
    expect(code).toBe(64);
    expect(stderr).toMatch(/unknown command "frobnicate"/);
  });
});
