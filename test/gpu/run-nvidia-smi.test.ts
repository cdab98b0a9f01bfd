import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocalNvidiaSmi } from '../../src/main/core/gpu/run-nvidia-smi';

/** A folder put first on PATH holding an `nvidia-smi` that hangs, as a wedged driver makes it do. */
function hangingNvidiaSmiPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-nvsmi-'));
  const script = join(dir, 'nvidia-smi');
  // A child that outlives the shell keeps the pipes open: the runner must not wait for them.
  writeFileSync(script, '#!/bin/sh\nsleep 600 &\nsleep 600\n');
  chmodSync(script, 0o755);
  return `${dir}:${process.env.PATH ?? ''}`;
}

describe('running nvidia-smi on this computer (which has no GPU)', () => {
  it('says nvidia-smi is missing when it is not installed', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'bt-test-nopath-'));
    expect(await runLocalNvidiaSmi({ env: { PATH: emptyDir } })).toEqual({ state: 'missing', detail: 'nvidia-smi is not installed' });
  });

  it('gives up on a hanging nvidia-smi after its timeout instead of waiting', async () => {
    const outcome = await runLocalNvidiaSmi({ env: { ...process.env, PATH: hangingNvidiaSmiPath() }, timeoutMs: 1000 });
    expect(outcome).toEqual({ state: 'timeout', detail: 'nvidia-smi did not answer within 1 s' });
  });
});
