import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/shared/contract/machine';
import { SilentEngines } from '../support/silent-engine';
import { result } from './support';

const execFileAsync = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'bt-test-check-cli-'));
chmodSync(scratch, 0o755);
const home = join(scratch, 'home');
mkdirSync(home);
const engines = new SilentEngines();

/** Runs the built CLI; `as` runs it as another user (tests run as root). A 20 s kill guards against hangs. */
async function benchtop(args: string[], env: NodeJS.ProcessEnv = {}, as?: string) {
  const command = as ? 'runuser' : process.execPath;
  const argv = [...(as ? ['-u', as, '--', 'env', ...Object.entries({ BENCHTOP_HOME: home, ...env }).map(([k, v]) => `${k}=${v}`), process.execPath] : []), join(root, 'bin/benchtop.js'), ...args];
  try {
    const { stdout, stderr } = await execFileAsync(command, argv, { env: { ...process.env, BENCHTOP_HOME: home, ...env }, timeout: 20_000, cwd: scratch });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string; killed?: boolean };
    if (e.killed) throw new Error(`benchtop ${args.join(' ')} hung`);
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function listen(path: string, mode: number): Promise<void> {
  await engines.listen(path, mode);
}

beforeAll(async () => {
  await execFileAsync(process.execPath, [join(root, 'scripts/build-cli.mjs')]);
  chownSync(home, userInfo({ encoding: 'utf8' }).uid === 0 ? 65534 : userInfo().uid, -1);
});
afterAll(() => engines.close());

describe('benchtop check', () => {
  it('prints the checklist and exits 0 on this machine', async () => {
    const { code, stdout } = await benchtop(['check']);
    expect(stdout).toMatch(/^✓ Container engine +Docker/m);
    expect(stdout).toMatch(/^– NVIDIA GPU +no NVIDIA GPU/m);
    expect(stdout).toMatch(/\d+ passed, \d+ warnings?, 0 failed, \d+ skipped\n$/);
    expect(code).toBe(0);
  });

  it('--json gives the report, and exits 1 when a check fails', async () => {
    const dead = join(scratch, 'dead.sock');
    const { code, stdout } = await benchtop(['check', '--json'], { DOCKER_HOST: `unix://${dead}` });
    const report = JSON.parse(stdout) as CheckReport;
    expect(result(report, 'engine')).toMatchObject({ status: 'fail', code: 'ENGINE_UNREACHABLE', value: expect.stringContaining(dead) });
    expect(report.summary.fail).toBeGreaterThan(0);
    expect(code).toBe(1);
  });

  it('names a Docker context that does not exist and how to pick another', async () => {
    const { code, stdout } = await benchtop(['check', '--json'], { DOCKER_CONTEXT: 'bt-test-no-such-context', DOCKER_HOST: '' });
    expect(result(JSON.parse(stdout) as CheckReport, 'engine')).toMatchObject({
      status: 'fail', code: 'DOCKER_CONTEXT_INVALID', value: expect.stringContaining('bt-test-no-such-context'), hint: expect.stringContaining('docker context'),
    });
    expect(code).toBe(1);
  });

  it('exits, with the engine marked as hanging, when the engine never answers', async () => {
    const sock = join(scratch, 'hang.sock');
    await listen(sock, 0o666);
    const { code, stdout } = await benchtop(['check', '--json'], { DOCKER_HOST: `unix://${sock}` });
    expect(result(JSON.parse(stdout) as CheckReport, 'engine')).toMatchObject({ status: 'fail', code: 'ENGINE_TIMEOUT' });
    expect(code).toBe(1);
  });

  it('tells a user without permission on the socket to join the docker group', async () => {
    const sock = join(scratch, 'root-only.sock');
    await listen(sock, 0o660);
    const { code, stdout } = await benchtop(['check', '--json'], { DOCKER_HOST: `unix://${sock}` }, 'nobody');
    const access = result(JSON.parse(stdout) as CheckReport, 'engine-access');
    expect(access).toMatchObject({
      status: 'fail',
      code: 'ENGINE_PERMISSION_DENIED',
      value: `nobody may not use ${sock} (EACCES, owned by root:root mode 660)`,
      hint: expect.stringContaining('usermod -aG docker'),
    });
    expect(code).toBe(1);
  });

  it('reports a hanging nvidia-smi as a warning and still finishes', async () => {
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'nvidia-smi'), '#!/bin/sh\nexec sleep 600\n');
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
    const { code, stdout } = await benchtop(['check', '--json'], { PATH: `${bin}:${process.env.PATH ?? ''}` });
    expect(result(JSON.parse(stdout) as CheckReport, 'gpu')).toMatchObject({
      status: 'warn', code: 'GPU_UNAVAILABLE', value: 'nvidia-smi did not answer within 2 s', hint: expect.stringContaining('wedged'),
    });
    expect(code).toBe(0);
  });

  it('exits 2 with the error code when the project folder does not exist', async () => {
    const { code, stdout } = await benchtop(['check', join(scratch, 'no-such-project'), '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'PROJECT_NOT_FOUND' } });
    expect(code).toBe(2);
  });
});
