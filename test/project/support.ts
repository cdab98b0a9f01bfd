import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core, type CoreDeps } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';

/**
 * A Core with its own empty settings folder, as the CLI builds one, and an empty Docker config so
 * that no `docker login` of whoever runs the tests changes what a registry answers.
 */
export function testCore(deps: Partial<CoreDeps> = {}): Core {
  return new Core({
    settings: openConfSettings(mkdtempSync(join(tmpdir(), 'bt-test-settings-'))),
    shell: 'cli',
    env: { ...process.env, DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'bt-test-docker-config-')) },
    ...deps,
  });
}

/** Runs `fn` and returns what it threw (failing the test when it did not throw). */
export async function thrown(fn: () => unknown): Promise<{ code: string; message: string; hint: string }> {
  try {
    await fn();
  } catch (error) {
    return error as { code: string; message: string; hint: string };
  }
  throw new Error('expected an error, but none was thrown');
}
