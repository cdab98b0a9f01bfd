import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSize } from '../../src/main/core/project/sizes';
import { FIXTURES_DIR_FOR_UNIT as FIXTURES } from './fixtures-dir';
import { testCore, thrown } from './support';

const core = testCore();
afterAll(() => core.close());

async function projectWith(devcontainer: string, where = '.devcontainer/devcontainer.json'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
  await mkdir(join(dir, where, '..'), { recursive: true });
  await writeFile(join(dir, where), devcontainer);
  return dir;
}

describe('opening a project', () => {
  it('reads the basic fixture: comments, odd formatting, every Benchtop key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
    await cp(join(FIXTURES, 'basic'), dir, { recursive: true });
    const info = await core.projects.open(dir);
    expect(info).toMatchObject({
      dir,
      name: 'basic-analysis',
      devcontainerPath: join(dir, '.devcontainer', 'devcontainer.json'),
      image: `127.0.0.1:5000/team/analysis@sha256:${'0'.repeat(64)}`,
      pinned: { repository: '127.0.0.1:5000/team/analysis', digest: `sha256:${'0'.repeat(64)}`, version: '0.0.0-placeholder' },
      hostRequirements: { cpus: 1, memory: '1gb', memoryBytes: 2 ** 30, storage: '4gb', storageBytes: 4 * 2 ** 30, gpu: 'optional' },
      notebooksDir: join(dir, 'notebooks'),
      lockfilePath: join(dir, 'environment.lock'),
      jupyter: { port: 8888, args: ['--ServerApp.iopub_data_rate_limit=1e10'] },
      idleMinutes: 30,
      containerEnv: { PROJECT_STAGE: 'test', MPLBACKEND: 'Agg' },
      forwardPorts: [8050],
    });
  });

  it('fills in defaults when customizations.benchtop is absent, and takes idle minutes from settings', async () => {
    const dir = await projectWith('{ "image": "127.0.0.1:5000/team/analysis:2026.11.2" }');
    core.settings.set('idleMinutes', 45);
    const info = await core.projects.open(dir);
    expect(info).toMatchObject({ pinned: null, notebooksDir: join(dir, 'notebooks'), lockfilePath: join(dir, 'environment.lock'), jupyter: { args: [] }, idleMinutes: 45, hostRequirements: {}, forwardPorts: [], containerEnv: {} });
    expect(info.name).toBe(dir.split('/').pop());
  });

  it('accepts .devcontainer.json at the project root', async () => {
    const dir = await projectWith('{ "image": "ubuntu:24.04" }', '.devcontainer.json');
    expect((await core.projects.open(dir)).devcontainerPath).toBe(join(dir, '.devcontainer.json'));
  });

  it('remembers opened projects, most recent first, at most 10', async () => {
    const c = testCore();
    const dirs: string[] = [];
    for (let i = 0; i < 12; i += 1) dirs.push(await projectWith(`{ "name": "p${i}", "image": "ubuntu" }`));
    for (const dir of dirs) await c.projects.open(dir);
    await c.projects.open(dirs[5]);
    const recent = c.projects.recent();
    expect(recent).toHaveLength(10);
    expect(recent[0]).toMatchObject({ dir: dirs[5], name: 'p5' });
    expect(recent.map((r) => r.dir)).toEqual([dirs[5], ...dirs.slice(2).reverse().filter((d) => d !== dirs[5])]);
    expect(new Set(recent.map((r) => r.dir)).size).toBe(10);
    await c.close();
  });

  it('says DEVCONTAINER_MISSING with how to create one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
    const error = await thrown(() => core.projects.open(dir));
    expect(error.code).toBe('DEVCONTAINER_MISSING');
    expect(error.message).toContain(dir);
    expect(error.hint).toContain('benchtop init');
  });

  it('says PROJECT_NOT_FOUND for a folder that does not exist', async () => {
    expect((await thrown(() => core.projects.open('/nonexistent/bt-test-nowhere'))).code).toBe('PROJECT_NOT_FOUND');
  });

  it('points at the line and column of a syntax error and says what was expected', async () => {
    const dir = await projectWith('{\n  // a comment\n  "image": "ubuntu"\n  "name": "x"\n}\n');
    const error = await thrown(() => core.projects.open(dir));
    expect(error.code).toBe('DEVCONTAINER_INVALID');
    expect(error.message).toBe(`${join(dir, '.devcontainer', 'devcontainer.json')}:4:3: expected a "," between entries.`);
    expect(error.hint).toContain('line 4, column 3');
  });

  it.each([
    ['{ "hostRequirements": { "memory": "-16gb" } }', 'hostRequirements.memory', 'is not a size: "-16gb"'],
    ['{ "hostRequirements": { "memory": "lots" } }', 'hostRequirements.memory', 'is not a size: "lots"'],
    ['{ "hostRequirements": { "storage": "12 parsecs" } }', 'hostRequirements.storage', 'is not a size'],
    ['{ "hostRequirements": { "cpus": 0 } }', 'hostRequirements.cpus', 'must be a whole number of CPUs from 1 to 4096, not 0'],
    ['{ "hostRequirements": { "cpus": "many" } }', 'hostRequirements.cpus', 'must be a whole number of CPUs from 1 to 4096, not "many"'],
    ['{ "hostRequirements": { "gpu": "maybe" } }', 'hostRequirements.gpu', 'must be true, false or "optional"'],
    ['{ "hostRequirements": [] }', 'hostRequirements', 'must be an object'],
    ['{ "forwardPorts": [8080, "web"] }', 'forwardPorts[1]', 'is not a port'],
    ['{ "containerEnv": { "A": 1 } }', 'containerEnv.A', 'must be a string'],
    ['{ "customizations": { "benchtop": { "notebooks": "../elsewhere" } } }', 'customizations.benchtop.notebooks', 'must be a path inside the project'],
    ['{ "customizations": { "benchtop": { "lockfile": "/etc/passwd" } } }', 'customizations.benchtop.lockfile', 'must be a path inside the project'],
    ['{ "customizations": { "benchtop": { "jupyter": { "args": [1] } } } }', 'customizations.benchtop.jupyter.args', 'must be a list of strings'],
    ['{ "customizations": { "benchtop": { "jupyter": { "port": 70000 } } } }', 'customizations.benchtop.jupyter.port', 'must be a whole number from 1 to 65535, not 70000'],
    ['{ "customizations": { "benchtop": { "idleMinutes": -5 } } }', 'customizations.benchtop.idleMinutes', 'must be a whole number of minutes from 0 to 10080, not -5'],
  ])('refuses %s naming the key', async (text, key, problem) => {
    const dir = await projectWith(`// header\n${text}\n`);
    const error = await thrown(() => core.projects.open(dir));
    expect(error.code).toBe('DEVCONTAINER_INVALID');
    expect(error.message).toContain(`devcontainer.json:2: "${key}" ${problem}`);
    expect(error.hint).not.toBe('');
  });

  it('refuses an image that breaks the reference grammar, naming its line', async () => {
    const dir = await projectWith('{\n  "name": "x",\n  "image": "Team/Analysis:1"\n}');
    const error = await thrown(() => core.projects.open(dir));
    expect(error.code).toBe('DEVCONTAINER_INVALID');
    expect(error.message).toMatch(/devcontainer\.json:3: "image" .*must be lower case/);
  });

  it('accepts the spec\'s other hostRequirements forms', async () => {
    const dir = await projectWith('{ "image": "ubuntu", "hostRequirements": { "memory": "512MB", "storage": 1073741824, "gpu": { "cores": 1000 } }, "forwardPorts": ["db:5432"] }');
    const info = await core.projects.open(dir);
    expect(info.hostRequirements).toMatchObject({ memoryBytes: 512 * 2 ** 20, storageBytes: 2 ** 30, gpu: true });
    expect(info.forwardPorts).toEqual([5432]);
  });
});

describe('creating a project', () => {
  it('writes the template with comments and Benchtop defaults, a notebooks folder and a .gitignore line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
    await writeFile(join(dir, '.gitignore'), 'node_modules/');
    const info = await core.projects.create(dir, '127.0.0.1:5000/team/analysis:2026.11.2');
    const text = await readFile(info.devcontainerPath, 'utf8');
    expect(text).toMatch(/^\/\/ /);
    expect(text).toContain('"image": "127.0.0.1:5000/team/analysis:2026.11.2"');
    expect(info).toMatchObject({ image: '127.0.0.1:5000/team/analysis:2026.11.2', notebooksDir: join(dir, 'notebooks'), idleMinutes: 60, jupyter: { args: [] }, hostRequirements: { gpu: 'optional' } });
    expect(info.jupyter.port).toBeUndefined(); // a fresh project never claims a fixed port on this computer
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n.benchtop/*\n!.benchtop/team.json\n');
    expect(core.projects.recent()[0].dir).toBe(dir);

    const again = await thrown(() => core.projects.create(dir));
    expect(again.code).toBe('DEVCONTAINER_EXISTS');
    expect(await readFile(info.devcontainerPath, 'utf8')).toBe(text);
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n.benchtop/*\n!.benchtop/team.json\n');
  });

  it('creates the folder when needed and refuses an invalid image', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'bt-test-project-'));
    expect((await core.projects.create(join(parent, 'new', 'proj'))).name).toBe('proj');
    expect((await thrown(() => core.projects.create(join(parent, 'other'), 'not a ref'))).code).toBe('IMAGE_REF_INVALID');
  });
});

describe('sizes', () => {
  it.each([
    ['16gb', 16 * 2 ** 30], ['16GB', 16 * 2 ** 30], ['512mb', 512 * 2 ** 20], ['1.5tb', 1.5 * 2 ** 40], ['8 GiB', 8 * 2 ** 30],
    ['100', 100], [4096, 4096], ['2k', 2048],
  ])('%s is %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });
  it.each(['lots', '-1gb', '16 parsecs', '', 'gb', -5, Number.NaN, null, true])('%s is not a size', (input) => {
    expect(parseSize(input)).toBeUndefined();
  });
});
