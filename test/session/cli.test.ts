import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { env, makeProject, pinnedRef, removeProjectContainers } from './support';
import { runCli } from '../support/cli';

const root = new URL('../..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'bt-test-cli-sessions-'));

/** The CLI from source (no bundle, so parallel test files never race on building it). */
const benchtop = (...args: string[]) => runCli('source', args, { env: { BENCHTOP_HOME: home }, cwd: root });

describe('benchtop up / ps / logs / stop / rm', () => {
  const project = makeProject();
  afterAll(() => removeProjectContainers(project));

  // Eight CLI runs, each a fresh process over tsx: minutes on a busy 2-core machine, seconds elsewhere.
  it('prints progress on stderr and only the URL on stdout, then manages the session by id', async () => {
    const up = await benchtop('up', project.dir, '--no-open');
    expect(up.code).toBe(0);
    const url = up.stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    expect(up.stderr).toContain('» check');
    expect(up.stderr).toContain('» wait-jupyter');
    const id = /Session (\S+) is ready/.exec(up.stderr)?.[1] as string;
    expect(id).toMatch(/^benchtop-bt-test-/);

    const ps = await benchtop('ps');
    expect(ps).toMatchObject({ code: 0, stderr: '' });
    expect(ps.stdout).toMatch(new RegExp(`${id}\\s+${project.name}\\s+local\\s+ready`));
    expect(ps.stdout).not.toContain(new URL(url).searchParams.get('token'));

    const logs = await benchtop('logs', id, '--tail', '50');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('benchtop-jupyter: starting jupyter');
    expect(logs.stdout).not.toContain(new URL(url).searchParams.get('token'));

    expect((await benchtop('stop', id)).stdout.trim()).toBe(`${id}: stopped`);
    const json = JSON.parse((await benchtop('ps', '--json')).stdout) as { id: string; state: string }[];
    expect(json.find((s) => s.id === id)?.state).toBe('stopped');

    const open = await benchtop('open', id);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/error\[SESSION_FAILED\]: Session \S+ is stopped/);

    expect((await benchtop('rm', id)).stdout.trim()).toBe(`Removed ${id}.`);
    const gone = await benchtop('stop', id);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('error[SESSION_NOT_FOUND]');
  }, 240_000);

  it('exits 64 with a usage error when the session id is missing', async () => {
    const r = await benchtop('stop');
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('needs a session id');
  });

  it('pull prints the digest (pulled or already present) and refuses a malformed reference', async () => {
    const ok = await benchtop('pull', pinnedRef());
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe(`Already present: ${env().image.versions[env().image.latest].digest}`);
    const bad = await benchtop('pull', 'Team/Analysis:@@');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error[IMAGE_REF_INVALID]');
  });
});
