import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { testCore, thrown } from '../project/support';
import { testEnv } from '../support/env';
import { makeProject, type FixtureProject } from '../support/fixture-project';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const core = testCore();
/** A Core whose engine is not there: labels must then come from the registry. */
const noEngine = testCore({
  engine: {
    resolveLocal: () => ({ endpoint: { kind: 'unix', address: '/nonexistent/bt-test-docker.sock', source: 'test' }, options: { socketPath: '/nonexistent/bt-test-docker.sock' } }),
  },
});
const made: FixtureProject[] = [];
const project = async (options: Parameters<typeof makeProject>[0] = {}) => {
  const p = await makeProject(options);
  made.push(p);
  return p;
};

afterEach(async () => {
  await Promise.all(made.splice(0).map((p) => p.cleanup()));
});
afterAll(async () => {
  await core.close();
  await noEngine.close();
});

describe('lockfile status against the pinned test image', () => {
  it('matches when the project holds the image\'s lockfile (labels from the local engine)', async () => {
    const p = await project();
    const status = await core.lockfiles.status(p.dir);
    expect(status).toEqual({
      state: 'match',
      projectSha256: testEnv().image.lockfileSha256,
      imageSha256: testEnv().image.lockfileSha256,
      message: 'environment.lock matches the image\'s lockfile.',
    });
  });

  it('matches with the labels read from the registry when no engine is there', async () => {
    const p = await project({ version: Object.keys(testEnv().image.versions)[0] });
    expect((await noEngine.lockfiles.status(p.dir)).state).toBe('match');
  });

  it('says differs, naming both files and the fix, when the project\'s copy was edited', async () => {
    const original = await readFile(testEnv().image.lockfilePath, 'utf8');
    const p = await project({ lockfile: { text: `${original}cowsay==6.1\n` } });
    const status = await core.lockfiles.status(p.dir);
    expect(status.state).toBe('differs');
    expect(status.imageSha256).toBe(testEnv().image.lockfileSha256);
    expect(status.projectSha256).not.toBe(status.imageSha256);
    expect(status.message).toContain(`${p.lockfilePath} differs from the image's /opt/benchtop/environment.lock (${p.image}, version ${p.version})`);
    expect(status.hint).toContain('benchtop pin');

    const info = await core.projects.open(p.dir);
    const labels = await core.lockfiles.imageLabels(p.image);
    const error = await thrown(() => core.lockfiles.assertMatches(info, labels));
    expect(error.code).toBe('LOCKFILE_MISMATCH');
    expect(error.message).toBe(status.message);
  });

  it('says missing without a lockfile, and LOCKFILE_MISSING before a session', async () => {
    const p = await project({ lockfile: 'none' });
    const status = await core.lockfiles.status(p.dir);
    expect(status.state).toBe('missing');
    expect(status.hint).toContain('`benchtop pin` (the lockfile comes with the pin)');
    const error = await thrown(async () => core.lockfiles.assertMatches(await core.projects.open(p.dir), await core.lockfiles.imageLabels(p.image)));
    expect(error.code).toBe('LOCKFILE_MISSING');
  });

  it('passes assertMatches for the real image and lockfile', async () => {
    const p = await project();
    await expect(core.lockfiles.assertMatches(await core.projects.open(p.dir), await core.lockfiles.imageLabels(p.image))).resolves.toBeUndefined();
  });

  it('refuses a garbage lockfile with LOCKFILE_INVALID and the line', async () => {
    const p = await project({ lockfile: { text: 'anyio==4.9.0\n<<<<<<< HEAD\n' } });
    const error = await thrown(() => core.lockfiles.status(p.dir));
    expect(error.code).toBe('LOCKFILE_INVALID');
    expect(error.message).toContain(`${p.lockfilePath}:2:`);
  });

  it('says unknown with the registry\'s reason when the labels cannot be read', async () => {
    const p = await project({ registry: 'auth' });
    const status = await noEngine.lockfiles.status(p.dir);
    expect(status.state).toBe('unknown');
    expect(status.message).toContain(`The registry ${testEnv().authRegistry.address}`);
  });

  it('`benchtop lock status` exits 0 on match and 1 when the lockfile differs', async () => {
    const good = await project();
    const bad = await project({ lockfile: { text: 'anyio==0.0.1\n' } });
    const cli = (dir: string) => run(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'lock', 'status', dir, '--json'])
      .then((r) => ({ code: 0, stdout: r.stdout }), (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }));
    const ok = await cli(good.dir);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).state).toBe('match');
    const differs = await cli(bad.dir);
    expect(differs.code).toBe(1);
    expect(JSON.parse(differs.stdout).state).toBe('differs');
  });
});
