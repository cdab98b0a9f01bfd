import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { result, testCore } from './support';

const core = testCore();
afterAll(() => core.close());

/** A project folder whose devcontainer.json says `hostRequirements`. */
function project(hostRequirements: Record<string, unknown> | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-reqs-'));
  mkdirSync(join(dir, '.devcontainer'));
  const config: Record<string, unknown> = { name: 'reqs', image: '127.0.0.1:5000/team/analysis:2026.11.2' };
  if (hostRequirements) config.hostRequirements = hostRequirements;
  writeFileSync(join(dir, '.devcontainer', 'devcontainer.json'), JSON.stringify(config, null, 2));
  return dir;
}

describe('hostRequirements held against this computer', () => {
  it('fails each absurd requirement with what was measured, what was asked and a fix', async () => {
    const dir = project({ cpus: 4096, memory: '64tb', storage: '900tb', gpu: true });
    const report = await core.ops.run('op-absurd', (op) => core.machine.check(op, { projectDir: dir }));
    expect(result(report, 'cpus')).toMatchObject({
      status: 'fail', requirement: '≥ 4096 cores (hostRequirements.cpus)', hint: expect.stringMatching(/4096 cores or more|GPU host/),
    });
    expect(result(report, 'memory')).toMatchObject({ status: 'fail', requirement: '≥ 65536 GiB (hostRequirements.memory 64tb)' });
    expect(result(report, 'disk')).toMatchObject({ status: 'fail', code: 'DISK_FULL', requirement: expect.stringMatching(/^≥ \d+ GiB: 921600 GiB \(hostRequirements\.storage 900tb\)/) });
    expect(result(report, 'gpu')).toMatchObject({ status: 'fail', code: 'GPU_REQUIRED', requirement: 'a GPU (hostRequirements.gpu true)', hint: expect.stringContaining('GPU host') });
    expect(report.summary.fail).toBe(4);
    expect(report.text).toMatch(/✗ CPU cores +\d+ cores?\n +needs: ≥ 4096 cores \(hostRequirements\.cpus\)\n +fix: /);
  });

  it('warns, without failing, when a GPU is optional and there is none', async () => {
    const report = await core.ops.run('op-optional', (op) => core.machine.check(op, { projectDir: project({ gpu: 'optional' }) }));
    expect(result(report, 'gpu')).toMatchObject({ status: 'warn', hint: expect.stringContaining('without GPU acceleration') });
    expect(report.summary.fail).toBe(0);
  });

  it('passes modest requirements and shows what they were', async () => {
    const report = await core.ops.run('op-modest', (op) => core.machine.check(op, { projectDir: project({ cpus: 1, memory: '512mb', storage: '1gb' }) }));
    expect(result(report, 'cpus')).toMatchObject({ status: 'pass', requirement: '≥ 1 core (hostRequirements.cpus)' });
    expect(result(report, 'memory')).toMatchObject({ status: 'pass', requirement: '≥ 0.5 GiB (hostRequirements.memory 512mb)' });
    expect(result(report, 'disk').status).toBe('pass');
    expect(result(report, 'gpu').status).toBe('skipped');
  });

  it('checks the machine alone when the project has no hostRequirements', async () => {
    const report = await core.ops.run('op-none', (op) => core.machine.check(op, { projectDir: project(undefined) }));
    expect(result(report, 'cpus').requirement).toBeUndefined();
    expect(result(report, 'memory').requirement).toBeUndefined();
    expect(report.summary.fail).toBe(0);
  });

  it('warns about requirements it cannot read instead of passing or blocking on them', async () => {
    const report = await core.ops.run('op-garbled', (op) => core.machine.check(op, {
      project: { image: '', pinned: null, hostRequirements: { cpus: -3, memory: 'lots', storage: 'a lot', gpu: 'yes' as unknown as boolean } },
    }));
    expect(result(report, 'cpus')).toMatchObject({ status: 'warn', requirement: 'hostRequirements.cpus is -3', hint: expect.stringContaining('whole number') });
    expect(result(report, 'memory')).toMatchObject({ status: 'warn', requirement: 'hostRequirements.memory is "lots"' });
    expect(result(report, 'disk')).toMatchObject({ status: 'warn', requirement: 'hostRequirements.storage is "a lot"' });
    expect(result(report, 'gpu')).toMatchObject({ status: 'warn', requirement: 'hostRequirements.gpu is "yes"' });
  });

  it('refuses to check a project whose devcontainer.json is wrong, naming the key', async () => {
    await expect(core.ops.run('op-bad', (op) => core.machine.check(op, { projectDir: project({ memory: 'lots' }) }))).rejects.toMatchObject({
      code: 'DEVCONTAINER_INVALID', message: expect.stringContaining('memory'),
    });
  });
});
