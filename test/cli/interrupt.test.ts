import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../session/support';
import { SilentEngines } from '../support/silent-engine';

const root = new URL('../..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'bt-test-interrupt-'));
const hangingSocket = join(scratch, 'hanging.sock');
const engines = new SilentEngines();

// An engine that accepts every connection and never answers: the command waits until interrupted.
beforeAll(async () => {
  await engines.listen(hangingSocket);
});
afterAll(async () => {
  await engines.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs the CLI, presses Ctrl-C once its log shows `until`, and returns how it ended. */
async function interrupted(name: string, args: string[], until: string): Promise<{ code: number | null; stderr: string; log: string }> {
  const home = join(scratch, name);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root, env: { ...process.env, BENCHTOP_HOME: home, BENCHTOP_BROWSER: 'none', DOCKER_HOST: `unix://${hangingSocket}` },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logFile = join(home, 'logs', 'benchtop.log');
  await eventually(() => existsSync(logFile) && readFileSync(logFile, 'utf8').includes(until));
  child.kill('SIGINT');
  return { code: await exited, stderr, log: readFileSync(logFile, 'utf8') };
}

describe('Ctrl-C', () => {
  it('cancels a running command, closes up and exits 130', async () => {
    // With a project the check runs through the core: its operation is cancelled, then the core closed.
    const project = join(scratch, 'project');
    mkdirSync(join(project, '.devcontainer'), { recursive: true });
    writeFileSync(join(project, '.devcontainer', 'devcontainer.json'), JSON.stringify({ name: 'bt-test-interrupt', image: 'example/analysis:1' }));
    const { code, stderr, log } = await interrupted('core', ['check', project], 'api: call machineCheck');
    expect(code).toBe(130);
    expect(stderr).toContain('Interrupted: cancelling (Ctrl-C again to quit now)');
    expect(log).toContain('interrupted (SIGINT): cancelling every operation');
    expect(log).toContain('cli: benchtop check exited 130');
  });

  it('ends a command on its fast path with 130 too', async () => {
    const { code, log } = await interrupted('light', ['engine'], 'cli: benchtop engine');
    expect(code).toBe(130);
    expect(log).toContain('interrupted (SIGINT)');
  });
});
