import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jupyterStart, imageFactsOf } from '../../src/main/core/project/jupyter-image';
import { defaultShmBytes, sessionEnvironment } from '../../src/main/core/project/session-env';
import { devcontainerIdFor, substituteContainer, substituteLocal } from '../../src/main/core/project/substitute';
import { testCore, thrown } from './support';

/**
 * devcontainer.json as teams write it: variables substituted as the reference Dev Containers CLI does,
 * remoteEnv, lifecycle commands, mounts, runArgs' --shm-size, explicit limits, several configurations,
 * and clear answers for build / features / compose projects.
 */
const core = testCore({ env: { ...process.env, BT_TEST_TOKEN: 'from-the-laptop', HOME: '/home/someone' } });
afterAll(() => core.close());

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const IMAGE = '"image": "127.0.0.1:5000/team/analysis:2026.11.2"';

describe('variables', () => {
  const local = { env: { A: 'alpha', EMPTY: '' }, localWorkspaceFolder: '/work/proj', devcontainerId: 'id123' };

  it('resolves ${localEnv:…} with defaults the way the reference CLI does', () => {
    expect(substituteLocal('${localEnv:A}', local)).toBe('alpha');
    expect(substituteLocal('${localEnv:MISSING}', local)).toBe('');
    expect(substituteLocal('${localEnv:MISSING:fallback}', local)).toBe('fallback');
    expect(substituteLocal('${localEnv:EMPTY:fallback}', local)).toBe('');
    expect(substituteLocal('${env:A}-${localWorkspaceFolderBasename}', local)).toBe('alpha-proj');
    expect(substituteLocal('${localWorkspaceFolder}/data', local)).toBe('/work/proj/data');
    expect(substituteLocal('vol-${devcontainerId}', local)).toBe('vol-id123');
    // Container-side and unknown variables wait (or stay) as written.
    expect(substituteLocal('${containerWorkspaceFolder} ${containerEnv:PATH} ${unknown}', local)).toBe('${containerWorkspaceFolder} ${containerEnv:PATH} ${unknown}');
  });

  it('resolves ${containerEnv:…} and ${containerWorkspaceFolder} once the container is known', () => {
    const ctx = { containerWorkspaceFolder: '/home/jovyan/work', containerEnv: { PATH: '/usr/bin' } };
    expect(substituteContainer('${containerEnv:PATH}:/opt/tools', ctx)).toBe('/usr/bin:/opt/tools');
    expect(substituteContainer('${containerWorkspaceFolder}/data ${containerWorkspaceFolderBasename}', ctx)).toBe('/home/jovyan/work/data work');
    expect(substituteContainer('${containerEnv:NOPE:x}', ctx)).toBe('x');
  });

  it('gives a stable devcontainerId per project and configuration', () => {
    expect(devcontainerIdFor('/a', '/a/.devcontainer/devcontainer.json')).toBe(devcontainerIdFor('/a', '/a/.devcontainer/devcontainer.json'));
    expect(devcontainerIdFor('/a', '/a/.devcontainer/gpu/devcontainer.json')).not.toBe(devcontainerIdFor('/a', '/a/.devcontainer/devcontainer.json'));
    expect(devcontainerIdFor('/a', 'x')).toMatch(/^[0-9a-v]{52}$/);
  });
});

describe('keys that shape the session container', () => {
  it('reads remoteEnv, lifecycle commands in all three forms, volume mounts, --shm-size and limits', async () => {
    const dir = await project({
      '.devcontainer/devcontainer.json': `{
        ${IMAGE},
        // Comments and trailing commas as VS Code writes them.
        "containerEnv": { "TOKEN": "\${localEnv:BT_TEST_TOKEN}", "WHERE": "\${localWorkspaceFolder}" },
        "remoteEnv": { "PATH": "\${containerEnv:PATH}:\${containerWorkspaceFolder}/bin", "UNSET": null },
        "postCreateCommand": "pip install -e .",
        "postStartCommand": { "server": ["python3", "-m", "http.server"], "note": "echo started" },
        "mounts": ["source=\${localWorkspaceFolderBasename}-cache,target=/cache,type=volume", { "type": "tmpfs", "target": "/scratch" }],
        "runArgs": ["--shm-size=2g"],
        "customizations": { "benchtop": { "limits": { "cpus": 1.5, "memory": "6gb" } } },
      }`,
    });
    const info = await core.projects.open(dir);
    expect(info.containerEnv).toEqual({ TOKEN: 'from-the-laptop', WHERE: dir });
    expect(info.container).toEqual({
      remoteEnv: { PATH: '${containerEnv:PATH}:${containerWorkspaceFolder}/bin' },
      mounts: [{ type: 'volume', source: `${dir.split('/').pop()}-cache`, target: '/cache' }, { type: 'tmpfs', source: '', target: '/scratch' }],
      shmSizeBytes: 2 * 2 ** 30,
      limits: { cpus: 1.5, memoryBytes: 6 * 2 ** 30 },
      postCreateCommand: 'pip install -e .',
      postStartCommand: { server: ['python3', '-m', 'http.server'], note: 'echo started' },
    });
    expect(info.warnings).toEqual([]);

    const env = sessionEnvironment(info, { PATH: '/usr/local/bin:/usr/bin' }, '/home/analyst/work');
    expect(env.env).toEqual({ TOKEN: 'from-the-laptop', WHERE: dir, PATH: '/usr/local/bin:/usr/bin:/home/analyst/work/bin' });
  });

  it('hostRequirements stay requirements: no limits unless customizations.benchtop.limits asks', async () => {
    const dir = await project({ '.devcontainer/devcontainer.json': `{ ${IMAGE}, "hostRequirements": { "cpus": 2, "memory": "4gb" } }` });
    const info = await core.projects.open(dir);
    expect(info.hostRequirements).toMatchObject({ cpus: 2, memoryBytes: 4 * 2 ** 30 });
    expect(info.container.limits).toEqual({});
    expect(info.container.shmSizeBytes).toBeUndefined();
  });

  it('gives /dev/shm 1 GiB by default and 8 GiB with a GPU, never more than half the engine', () => {
    expect(defaultShmBytes(false, 64 * 2 ** 30)).toBe(2 ** 30);
    expect(defaultShmBytes(true, 64 * 2 ** 30)).toBe(8 * 2 ** 30);
    expect(defaultShmBytes(true, 4 * 2 ** 30)).toBe(2 * 2 ** 30);
  });

  it('warns about what it does not apply instead of ignoring it', async () => {
    const dir = await project({
      '.devcontainer/devcontainer.json': `{
        ${IMAGE},
        "features": { "ghcr.io/devcontainers/features/node:1": {} },
        "mounts": ["source=/var/data,target=/data,type=bind"],
        "runArgs": ["--cap-add=SYS_PTRACE", "--shm-size", "512m"],
        "onCreateCommand": "make"
      }`,
    });
    const info = await core.projects.open(dir);
    expect(info.container.shmSizeBytes).toBe(512 * 2 ** 20);
    expect(info.container.mounts).toEqual([]);
    expect(info.warnings).toHaveLength(4);
    expect(info.warnings[0]).toMatch(/devcontainer\.json:3: "features" are not installed by Benchtop \(ghcr\.io\/devcontainers\/features\/node:1\)/);
    expect(info.warnings.join('\n')).toMatch(/"mounts\[0\]" is a bind mount of \/var\/data/);
    expect(info.warnings.join('\n')).toMatch(/"runArgs" --cap-add=SYS_PTRACE is not applied/);
    expect(info.warnings.join('\n')).toMatch(/"onCreateCommand" is not run by Benchtop/);
  });

  it.each([
    ['{ "dockerComposeFile": "compose.yml", "service": "app" }', 'dockerComposeFile', /Docker Compose project/],
    ['{ "build": { "dockerfile": "Dockerfile" } }', 'build', /build an image from a Dockerfile/],
    ['{ "image": "", "features": { "x": {} } }', 'features', /features, which need an image build/],
  ])('%s is DEVCONTAINER_UNSUPPORTED, saying how to publish and pin an image', async (text, key, problem) => {
    const dir = await project({ '.devcontainer/devcontainer.json': text });
    const error = await thrown(() => core.projects.open(dir));
    expect(error.code).toBe('DEVCONTAINER_UNSUPPORTED');
    expect(error.message).toContain(`"${key}"`);
    expect(error.message).toMatch(problem);
    expect(error.hint).toMatch(/devcontainer build .*--push.*benchtop pin/);
  });

  it.each([
    ['{ "postCreateCommand": 5 }', 'postCreateCommand', 'must be a command line'],
    ['{ "mounts": ["target=relative,type=volume,source=v"] }', 'mounts[0]', 'absolute "target"'],
    ['{ "mounts": ["source=../x,target=/x,type=volume"] }', 'mounts[0]', 'needs a volume name'],
    ['{ "runArgs": ["--shm-size=lots"] }', 'runArgs[0]', 'not a size'],
    ['{ "customizations": { "benchtop": { "limits": { "cpus": 0 } } } }', 'customizations.benchtop.limits.cpus', 'above 0'],
    ['{ "remoteEnv": { "A": 1 } }', 'remoteEnv.A', 'must be a string'],
  ])('%s is DEVCONTAINER_INVALID naming %s', async (text, key, problem) => {
    const dir = await project({ '.devcontainer/devcontainer.json': text.replace('{', `{ ${IMAGE},`) });
    const error = await thrown(() => core.projects.open(dir));
    expect(error.code).toBe('DEVCONTAINER_INVALID');
    expect(error.message).toContain(`"${key}"`);
    expect(error.message).toContain(problem);
  });
});

describe('several configurations', () => {
  const named = {
    '.devcontainer/cpu/devcontainer.json': `{ "name": "cpu", ${IMAGE} }`,
    '.devcontainer/gpu/devcontainer.json': `{ "name": "gpu", ${IMAGE}, "hostRequirements": { "gpu": true } }`,
  };

  it('lists them, and one is chosen by name or by its path', async () => {
    const dir = await project({ '.devcontainer/devcontainer.json': `{ "name": "default", ${IMAGE} }`, ...named });
    const plain = await core.projects.open(dir);
    expect(plain).toMatchObject({ name: 'default', configs: ['cpu', 'gpu'] });
    expect(plain.configName).toBeUndefined();
    expect(await core.projects.open(dir, 'gpu')).toMatchObject({ name: 'gpu', configName: 'gpu', dir, hostRequirements: { gpu: true } });
    expect(await core.projects.open(join(dir, '.devcontainer', 'cpu', 'devcontainer.json'))).toMatchObject({ name: 'cpu', configName: 'cpu', dir });
  });

  it('without a default, takes the only one, and asks which when there are several', async () => {
    const one = await project({ '.devcontainer/gpu/devcontainer.json': named['.devcontainer/gpu/devcontainer.json'] });
    expect((await core.projects.open(one)).configName).toBe('gpu');
    const two = await project(named);
    const error = await thrown(() => core.projects.open(two));
    expect(error).toMatchObject({ code: 'DEVCONTAINER_MISSING', message: expect.stringContaining('2 configurations (cpu, gpu)'), hint: expect.stringContaining('--config cpu') });
    expect((await thrown(() => core.projects.open(two, 'tpu'))).hint).toBe('Choose one of: cpu, gpu.');
    expect((await thrown(() => core.projects.open(two, '../x'))).code).toBe('DEVCONTAINER_MISSING');
  });
});

describe('how Jupyter starts in an image', () => {
  it('uses benchtop-jupyter in Benchtop images', () => {
    const facts = imageFactsOf({ Config: { Entrypoint: ['tini', '--', '/usr/local/bin/benchtop-jupyter'], Labels: { 'dev.benchtop.lockfile.sha256': 'x' } } });
    expect(jupyterStart(facts, { port: 8888, args: ['--x'], projectDir: '/p' })).toEqual({ kind: 'benchtop', cmd: ['/usr/local/bin/benchtop-jupyter', '--x'], workspace: '/home/analyst/work' });
  });

  it('passes IP, port and folder to start-notebook in docker-stacks images (the token stays in the environment)', () => {
    const facts = imageFactsOf({ Config: { Entrypoint: ['tini', '-g', '--', 'start.sh'], Cmd: ['start-notebook.py'], Env: ['NB_USER=jovyan', 'PATH=/opt/conda/bin'] } });
    expect(jupyterStart(facts, { port: 8888, args: [], user: '1000:1000', projectDir: '/p' })).toEqual({
      kind: 'docker-stacks', cmd: ['start-notebook.py', '--ip=0.0.0.0', '--port=8888', '--no-browser', '--notebook-dir=/home/jovyan/work'],
      workspace: '/home/jovyan/work', groupAdd: ['users'],
    });
  });

  it('starts whichever Jupyter another image has, as root only with --allow-root', () => {
    const start = jupyterStart(imageFactsOf({ Config: { Cmd: ['python3'] } }), { port: 8888, args: [], user: '0:0', projectDir: '/home/me/churn' });
    expect(start.kind).toBe('jupyter');
    expect(start.entrypoint?.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(start.cmd).toEqual(['--ip=0.0.0.0', '--port=8888', '--no-browser', '--notebook-dir=/workspaces/churn', '--allow-root']);
    expect(JSON.stringify(start)).not.toMatch(/token/i);
  });
});
