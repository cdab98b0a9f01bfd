import { app } from 'electron';
import { join } from 'node:path';
import { cliModeArgs } from './args';
import { cliStartFailure, runBundledCli } from './run';

/**
 * The installed `benchtop` command (build/cli/benchtop, benchtop.cmd) runs the app binary as
 * `APP --benchtop-cli -- ARGS`: the RunAsNode fuse is off, so the binary cannot be a plain Node.js,
 * and its main process runs the bundled CLI itself. src/main/index.ts imports this module first and,
 * when `cliMode` is true, does nothing else: no single-instance lock (the CLI runs beside an open app),
 * no app:// scheme, no link handling, no window. The launcher adds --ozone-platform=headless and
 * --disable-gpu on Linux, so a host without a display runs it too.
 */
const args = cliModeArgs(process.argv, app.isPackaged);
export const cliMode = args !== null;

if (args) {
  // Before ready, as Electron requires: no GPU process for a command line, no Dock icon on macOS.
  app.disableHardwareAcceleration();
  app.dock?.hide();
  // Electron's own SIGINT/SIGTERM handling quits the app; hand that to the CLI's Ctrl-C clean-up
  // (it cancels its operations and exits 130), or exit 130 at once while the CLI is still loading.
  app.on('will-quit', (event) => {
    event.preventDefault();
    if (process.listenerCount('SIGINT') > 0) process.emit('SIGINT', 'SIGINT');
    else app.exit(130);
  });
  runBundledCli(join(app.getAppPath(), 'out', 'cli', 'benchtop.js'), args).then(
    (code) => app.exit(code),
    (error: unknown) => {
      process.stderr.write(cliStartFailure(error), () => app.exit(2));
    },
  );
}
