import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SilentEngines } from '../support/silent-engine';
import { result, testCore } from './support';

const dir = mkdtempSync(join(tmpdir(), 'bt-test-engine-'));
chmodSync(dir, 0o755);
const engines = new SilentEngines();
afterAll(() => engines.close());

/** A unix socket that accepts connections and never answers: a wedged engine. */
const hangingSocket = (name: string): Promise<string> => engines.listen(join(dir, name));

describe('machine check when the engine is not usable', () => {
  it('fails the engine check naming the endpoint it tried when nothing listens, and still answers the rest', async () => {
    const dead = join(dir, 'nothing.sock');
    const core = testCore({ dockerHost: `unix://${dead}` });
    try {
      const report = await core.ops.run('op-dead', (op) => core.machine.check(op, {}));
      expect(result(report, 'engine')).toMatchObject({
        status: 'fail', code: 'ENGINE_UNREACHABLE', value: `No container engine answers at ${dead} (DOCKER_HOST).`, hint: expect.stringContaining('Start Docker'),
      });
      expect(result(report, 'engine-access')).toMatchObject({ status: 'skipped', value: `there is no socket at ${dead}` });
      expect(result(report, 'os').status).toBe('pass');
      expect(result(report, 'ports').status).toBe('pass');
      expect(report.text).toContain(`✗ Container engine`);
      expect(report.text).toContain('fix [ENGINE_UNREACHABLE]: Start Docker');
    } finally {
      await core.close();
    }
  });

  it('answers within the engine deadline when the engine accepts and never answers', { timeout: 15_000 }, async () => {
    const sock = await hangingSocket('hang.sock');
    const core = testCore({ dockerHost: `unix://${sock}` });
    try {
      const report = await core.ops.run('op-hang', (op) => core.machine.check(op, {}));
      expect(result(report, 'engine')).toMatchObject({
        status: 'fail', code: 'ENGINE_TIMEOUT', value: expect.stringContaining(`The engine at ${sock}`), hint: expect.stringContaining('restart Docker'),
      });
      // The permission on the socket itself is fine; only the engine behind it is stuck.
      expect(result(report, 'engine-access').status).toBe('pass');
      expect(result(report, 'cpus').status).toBe('pass');
    } finally {
      await core.close();
    }
  });

  it('stops waiting when the user cancels the check', async () => {
    const sock = await hangingSocket('hang-cancel.sock');
    const core = testCore({ dockerHost: `unix://${sock}` });
    // Cancel as soon as the first (fast) check lands, while the engine checks are still waiting.
    const off = core.bus.on('checkResult', (e) => e.opId === 'op-cancel' && core.ops.cancel('op-cancel'));
    try {
      await expect(core.ops.run('op-cancel', (op) => core.machine.check(op, {}))).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      off();
      await core.close();
    }
  });
});
