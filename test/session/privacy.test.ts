import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refusedJupyterArgs } from '../../src/main/core/session/jupyter-args';
import { runCli } from '../support/cli';
import { docker, eventually, makeCore, makeProject, opId, removeProjectContainers, type TestProject } from './support';

describe('a session stays private on a shared machine', () => {
  const projects: TestProject[] = [];
  const core = makeCore();
  afterAll(async () => {
    for (const p of projects) await removeProjectContainers(p);
    await core.close();
  });

  it('knows which Jupyter arguments would open the session to others', () => {
    expect(refusedJupyterArgs([
      '--ServerApp.token=', "--NotebookApp.token=''", '--IdentityProvider.token=abc', '--ServerApp.password=x',
      '--ip=0.0.0.0', '--ServerApp.ip', '--ServerApp.allow_remote_access=True', '--ServerApp.allow_origin=*',
      '--ServerApp.disable_check_xsrf=True', '--config=/home/analyst/work/c.py', '--ServerApp.allow-origin-pat=.*',
    ])).toHaveLength(11);
    expect(refusedJupyterArgs(['--ServerApp.root_dir=/x', '--no-browser', '--LabApp.default_url=/lab/tree/a.ipynb', 'token', '--ServerApp.iopub_data_rate_limit=1e10'])).toEqual([]);
  });

  it('refuses a project that turns the token off or listens elsewhere, before pulling anything', async () => {
    for (const [benchtop, shown] of [
      [{ jupyter: { args: ['--no-browser', '--ServerApp.token='] } }, '"--ServerApp.token="'],
      [{ jupyter: { args: ['--ip', '0.0.0.0'] } }, '"--ip"'],
    ] as const) {
      const project = makeProject({ benchtop });
      projects.push(project);
      const attempt = core.sessions.up(core.ops.create(opId()), project.dir, 'local');
      await expect(attempt).rejects.toMatchObject({ code: 'JUPYTER_ARGS_REFUSED', message: expect.stringContaining(shown) });
      expect(await docker.listContainers({ all: true, filters: { label: [`dev.benchtop.project=${project.dir}`] } })).toEqual([]);
    }
  });

  it('opens the browser on a private page, never with the token on a command line', async () => {
    const project = makeProject();
    projects.push(project);
    const info = await core.sessions.up(core.ops.create(opId()), project.dir, 'local');
    const token = new URL(info.url as string).searchParams.get('token') as string;
    // A stand-in browser opener that writes down the command line it was given.
    const bin = mkdtempSync(join(tmpdir(), 'bt-test-opener-'));
    const argvFile = join(bin, 'argv');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${argvFile}.tmp && mv ${argvFile}.tmp ${argvFile}\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const open = await runCli('source', ['open', info.id], {
      env: { BENCHTOP_HOME: dirname(core.settings.path), BENCHTOP_BROWSER: undefined, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(open.code).toBe(0);
    expect(open.stdout.trim()).toBe(info.url); // printed for the user, never passed to a process
    const argv = await eventually(() => (existsSync(argvFile) ? readFileSync(argvFile, 'utf8').trim().split('\n') : undefined));
    expect(argv.join(' ')).not.toContain(token);
    expect(argv).toHaveLength(1);
    const page = argv[0];
    expect(page).toMatch(/\.html$/);
    expect(statSync(page).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(page)).mode & 0o777).toBe(0o700);
    expect(readFileSync(page, 'utf8')).toContain(`location.replace(${JSON.stringify(info.url)})`);
    // Removing the session removes the page and the token in it.
    await core.sessions.remove(info.id);
    expect(existsSync(page)).toBe(false);
  });
});
