/**
 * The app binary where Electron's is missing: what src/main/cli-mode/start.ts does in the packaged
 * app's main process, with node in Electron's place. Like a fused binary it ignores
 * ELECTRON_RUN_AS_NODE (and fails if a launcher still sets it); without --benchtop-cli it would start
 * the app's window, so it fails with 99. It records the arguments it was given (BT_STAND_IN_ARGV).
 * Bundled by the launcher test into the installed layout, beside resources/app.asar.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliModeArgs } from '../../src/main/cli-mode/args';
import { cliStartFailure, runBundledCli } from '../../src/main/cli-mode/run';

if (process.env.BT_STAND_IN_ARGV) writeFileSync(process.env.BT_STAND_IN_ARGV, JSON.stringify(process.argv.slice(2)));
if (process.env.ELECTRON_RUN_AS_NODE) {
  process.stderr.write('ELECTRON_RUN_AS_NODE reached the app binary (its RunAsNode fuse is off)\n');
  process.exit(98);
}
// As `electron main.js ARGS`: the app path first, then the binary's arguments.
const args = cliModeArgs(process.argv, false);
if (!args) {
  process.stderr.write('would start the app window\n');
  process.exit(99);
}
const appPath = join(dirname(fileURLToPath(import.meta.url)), 'resources', 'app.asar');
runBundledCli(join(appPath, 'out', 'cli', 'benchtop.js'), args).then(
  (code) => process.exit(code),
  (error: unknown) => process.stderr.write(cliStartFailure(error), () => process.exit(2)),
);
