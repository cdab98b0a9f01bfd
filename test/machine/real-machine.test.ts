import { afterAll, describe, expect, it } from 'vitest';
import { runLocalNvidiaSmi } from '../../src/main/core/gpu/run-nvidia-smi';
import { MachineCheckService } from '../../src/main/core/machine/service';
import type { CheckResult } from '../../src/shared/contract/machine';
import { ALL_CHECKS, result, testCore } from './support';

const core = testCore();
afterAll(() => core.close());

describe('machine check on this computer, with the real engine', () => {
  it('reports every check, in order, as this machine really is', async () => {
    const report = await core.ops.run('op-real', (op) => core.machine.check(op, {}));
    expect(report.results.map((r) => r.id)).toEqual(ALL_CHECKS);
    expect(result(report, 'engine')).toMatchObject({ status: 'pass', value: expect.stringMatching(/^Docker \S+ \(API 1\.\d+\), \S+ storage — unix \//) });
    expect(result(report, 'engine-access')).toMatchObject({ status: 'pass', value: expect.stringMatching(/may use \//) });
    expect(result(report, 'disk')).toMatchObject({ status: 'pass', value: expect.stringMatching(/GiB free at \//) });
    expect(result(report, 'cpus').value).toMatch(/^\d+ cores?/);
    // No GPU here: the GPU rows say so instead of failing.
    expect(result(report, 'gpu')).toMatchObject({ status: 'skipped', value: expect.stringContaining('no NVIDIA GPU') });
    expect(result(report, 'gpu-runtime').status).toBe('skipped');
    expect(result(report, 'ports')).toMatchObject({ status: 'pass', value: expect.stringMatching(/ports free on 127\.0\.0\.1:8870–8969/) });
    expect(report.summary.fail).toBe(0);
    expect(report.summary.pass + report.summary.warn + report.summary.skipped).toBe(ALL_CHECKS.length);
    for (const r of report.results) expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('gives the whole report as copyable text with a mark per line and a summary', async () => {
    const { text, summary } = await core.ops.run('op-text', (op) => core.machine.check(op, {}));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Benchtop machine check — \d{4}-\d\d-\d\dT/);
    expect(lines).toContainEqual(expect.stringMatching(/^✓ Container engine\s+Docker/));
    expect(lines).toContainEqual(expect.stringMatching(/^– NVIDIA GPU\s+no NVIDIA GPU/));
    expect(lines.at(-1)).toBe(`${summary.pass} passed, ${summary.warn} warning${summary.warn === 1 ? '' : 's'}, ${summary.fail} failed, ${summary.skipped} skipped`);
  });

  it('streams one checkResult event per check for its operation id', async () => {
    const seen: { opId: string; result: CheckResult; done: number; total: number }[] = [];
    const off = core.bus.on('checkResult', (e) => seen.push(e));
    const report = await core.ops.run('op-events', (op) => core.machine.check(op, {}));
    off();
    expect(seen.map((e) => e.opId)).toEqual(Array(ALL_CHECKS.length).fill('op-events'));
    expect(seen.map((e) => e.done)).toEqual(ALL_CHECKS.map((_, i) => i + 1));
    expect(seen.every((e) => e.total === ALL_CHECKS.length)).toBe(true);
    expect(seen.map((e) => e.result.id).sort()).toEqual([...ALL_CHECKS].sort());
    expect(new Map(seen.map((e) => [e.result.id, e.result.status]))).toEqual(new Map(report.results.map((r) => [r.id, r.status])));
  });

  it('asks nvidia-smi once per process, and again on refresh', async () => {
    let runs = 0;
    const machine = new MachineCheckService({
      engines: core.engines, settings: core.settings, clock: core.clock, env: process.env,
      gpuProbe: () => {
        runs += 1;
        return runLocalNvidiaSmi();
      },
    });
    await core.ops.run('op-cache-1', (op) => machine.check(op, {}));
    await core.ops.run('op-cache-2', (op) => machine.check(op, {}));
    expect(runs).toBe(1);
    await core.ops.run('op-cache-3', (op) => machine.check(op, { refresh: true }));
    expect(runs).toBe(2);
  });

  it('reports a session port range that is taken', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const port = (server.address() as { port: number }).port;
    const taken = testCore();
    taken.settings.set('sessionPorts', { first: port, last: port });
    try {
      const ports = result(await core.ops.run('op-ports', (op) => taken.machine.check(op, {})), 'ports');
      expect(ports).toMatchObject({ status: 'fail', code: 'PORT_IN_USE', value: `0 of 1 ports free on 127.0.0.1:${port}–${port}` });
      expect(ports.hint).toMatch(/sessionPorts/);
    } finally {
      server.close();
      await taken.close();
    }
  });
});
