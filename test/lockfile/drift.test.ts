import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import { driftOf } from '../../src/main/core/lockfile/drift';
import { parseLockfile } from '../../src/main/core/lockfile/parse';
import { testCore, thrown } from '../project/support';
import { makeProject, type FixtureProject } from '../support/fixture-project';

/**
 * Drift on a real running container of the test image: a root exec edits the environment the way a
 * `pip install` would (a new distribution, a changed version, a removed one) and Benchtop must see it.
 */
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const core = testCore();
const handlers = createHandlers(core);
const created: Docker.Container[] = [];
let project: FixtureProject;
let lockText: string;

async function startSession(name: string, labels: Record<string, string>): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name, Image: project.image, Cmd: ['sleep', 'infinity'], Labels: labels, User: '1000:1000',
  });
  created.push(container);
  await container.start();
  return container;
}

/** Edits installed metadata as root, like a pip install/upgrade/uninstall would. */
const MUTATE = `
import importlib.metadata as m, pathlib, re, shutil, sys, sysconfig
def meta(dist):
    p = pathlib.Path(dist._path)
    return p if p.is_file() else next(f for f in (p / 'METADATA', p / 'PKG-INFO') if f.exists())
changed, removed = sys.argv[1], sys.argv[2]
f = meta(m.distribution(changed))
f.write_text(re.sub(r'^Version: .*$', 'Version: 99.0.0', f.read_text(), flags=re.M))
p = pathlib.Path(m.distribution(removed)._path)
shutil.rmtree(p) if p.is_dir() else p.unlink()
site = pathlib.Path(m.distribution(changed)._path).parent
new = site / 'bt_drift_pkg-1.2.3.dist-info'
new.mkdir()
(new / 'METADATA').write_text('Metadata-Version: 2.1\\nName: bt-drift-pkg\\nVersion: 1.2.3\\n')
`;

beforeAll(async () => {
  project = await makeProject();
  lockText = await readFile(project.lockfilePath, 'utf8');
});

afterAll(async () => {
  for (const c of created) await c.remove({ force: true }).catch(() => undefined);
  await project?.cleanup();
  await core.close();
});

describe('drift of a running session', () => {
  const id = `bt-test-drift-${randomBytes(4).toString('hex')}`;

  it('finds no drift in a fresh container of the pinned image', async () => {
    const container = await startSession(id, { 'dev.benchtop.session': '1', 'dev.benchtop.project': project.dir });
    const report = await driftOf(core.engines, 'local', container.id, lockText, id);
    expect(report).toMatchObject({ sessionId: id, added: [], removed: [], changed: [] });
  });

  it('sees packages added, changed and removed inside the session, and proposes a new lockfile', async () => {
    const locked = parseLockfile(lockText).filter((p) => !['pip', 'setuptools', 'wheel'].includes(p.key));
    const changed = locked[0];
    const removed = locked[locked.length - 1];
    const mutate = await execAsRoot(id, ['python3', '-c', MUTATE, changed.name, removed.name]);
    expect(mutate.exitCode, mutate.stderr).toBe(0);

    const report = await core.lockfiles.drift(id);
    expect(report.added).toEqual([{ name: 'bt-drift-pkg', to: '1.2.3' }]);
    expect(report.changed).toEqual([{ name: expect.stringMatching(new RegExp(`^${changed.name}$`, 'i')), from: changed.version, to: '99.0.0' }]);
    expect(report.removed).toEqual([{ name: removed.name, from: removed.version }]);
    const proposed = parseLockfile(report.proposedLockfile);
    expect(proposed.find((p) => p.key === 'bt-drift-pkg')?.version).toBe('1.2.3');
    expect(proposed.find((p) => p.key === removed.key)).toBeUndefined();
    expect(proposed.length).toBe(parseLockfile(lockText).length);
    expect(report.proposedLockfile.startsWith(lockText.split('\n')[0])).toBe(true);

    // The same through the app's call and the CLI (exit 1: drift found).
    expect(await dispatch(handlers, 'projectDrift', { sessionId: id })).toEqual({ result: report });
    const cli = await run(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'lock', 'drift', id])
      .then((r) => ({ code: 0, stdout: r.stdout }), (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }));
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('+ bt-drift-pkg==1.2.3');
    expect(cli.stdout).toContain(`- ${removed.name}==${removed.version}`);
  });

  it('says SESSION_NOT_FOUND for a container that is not a session, CONTAINER_EXITED for a stopped one', async () => {
    const plain = `bt-test-plain-${randomBytes(4).toString('hex')}`;
    await startSession(plain, {});
    expect((await thrown(() => core.lockfiles.drift(plain))).code).toBe('SESSION_NOT_FOUND');
    expect((await thrown(() => core.lockfiles.drift(`bt-test-nothing-${randomBytes(4).toString('hex')}`))).code).toBe('SESSION_NOT_FOUND');
    const stopped = `bt-test-stopped-${randomBytes(4).toString('hex')}`;
    const container = await startSession(stopped, { 'dev.benchtop.session': '1' });
    await container.stop({ t: 0 });
    const error = await thrown(() => core.lockfiles.drift(stopped));
    expect(error.code).toBe('CONTAINER_EXITED');
    expect(error.message).toContain(stopped);
  });
});

async function execAsRoot(container: string, cmd: string[]) {
  const exec = await docker.getContainer(container).exec({ Cmd: cmd, User: '0', AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  let output = '';
  stream.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise((resolve) => stream.on('end', resolve));
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, stderr: output };
}

