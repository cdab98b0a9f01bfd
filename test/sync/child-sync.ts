/**
 * One sync in a process of its own, so a test can SIGKILL a real syncing process at any step:
 *   node --import tsx test/sync/child-sync.ts SETTINGS_DIR PROJECT_DIR TARGET [CONTAINER_ID] [--yes] [--wait]
 * Prints one JSON line per progress event (`{"progress":…}`), then `{"result":…}` or `{"error":…}`.
 * With --wait it loads everything, prints `{"ready":true}` and starts the sync only once a line
 * arrives on stdin: a test can start it ahead of time, so the process start-up is not on its clock.
 * The environment carries HOME, BENCHTOP_KNOWN_HOSTS and BENCHTOP_SSH_CONFIG of the test's host fixture.
 */
import { once } from 'node:events';
import { Core } from '../../src/main/core/core';
import { toErrorInfo } from '../../src/main/core/errors';
import { openConfSettings } from '../../src/main/core/settings/conf-store';

const [settingsDir, projectDir, target, containerId, ...flags] = process.argv.slice(2);
const core = new Core({ settings: openConfSettings(settingsDir), shell: 'cli', env: process.env });
const write = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
if (flags.includes('--wait')) {
  write({ ready: true });
  await once(process.stdin, 'data');
  process.stdin.pause();
}
core.bus.on('syncProgress', (p) => write({ progress: p }));
try {
  const result = await core.ops.run('child', (op) => core.sync.sync(op, { projectDir, target, containerId: containerId || undefined, confirmDeletes: flags.includes('--yes') }));
  write({ result });
} catch (error) {
  write({ error: toErrorInfo(error) });
} finally {
  await core.close();
}
