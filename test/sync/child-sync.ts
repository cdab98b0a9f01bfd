/**
 * One sync in a process of its own, so a test can SIGKILL a real syncing process at any step:
 *   node --import tsx test/sync/child-sync.ts SETTINGS_DIR PROJECT_DIR TARGET [CONTAINER_ID] [--yes]
 * Prints one JSON line per progress event (`{"progress":…}`), then `{"result":…}` or `{"error":…}`.
 * The environment carries HOME, BENCHTOP_KNOWN_HOSTS and BENCHTOP_SSH_CONFIG of the test's host fixture.
 */
import { Core } from '../../src/main/core/core';
import { toErrorInfo } from '../../src/main/core/errors';
import { openConfSettings } from '../../src/main/core/settings/conf-store';

const [settingsDir, projectDir, target, containerId, yes] = process.argv.slice(2);
const core = new Core({ settings: openConfSettings(settingsDir), shell: 'cli', env: process.env });
const write = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
core.bus.on('syncProgress', (p) => write({ progress: p }));
try {
  const result = await core.sync.sync({ opId: 'child', projectDir, target, containerId: containerId || undefined, confirmDeletes: yes === '--yes' });
  write({ result });
} catch (error) {
  write({ error: toErrorInfo(error) });
} finally {
  await core.close();
}
