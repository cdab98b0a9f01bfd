import { describe, expect, it } from 'vitest';
import { cliModeArgs } from '../../src/main/cli-mode/args';
import { selfCommand, type CliRuntime } from '../../src/cli/self-command';

/** The CLI starting itself again (the forwarder): under node as before; inside the fused app binary, in its command-line mode. */
describe('how the CLI starts itself again', () => {
  const node: CliRuntime = { execPath: '/usr/bin/node', execArgv: ['--import', 'tsx'], script: '/src/cli/main.ts', electron: false, defaultApp: false, platform: 'linux' };
  const app: CliRuntime = { execPath: '/opt/Benchtop/benchtop-app', execArgv: [], script: '/opt/Benchtop/resources/app.asar/out/cli/benchtop.js', electron: true, defaultApp: false, platform: 'linux' };

  it('under node: node, its flags, the script, the arguments', () => {
    expect(selfCommand(node, ['forwarder', 'serve'])).toEqual({ file: '/usr/bin/node', args: ['--import', 'tsx', '/src/cli/main.ts', 'forwarder', 'serve'] });
  });

  it('inside the app binary: the binary in command-line mode (headless on Linux), never the script as Node', () => {
    const linux = selfCommand(app, ['forwarder', 'serve']);
    expect(linux).toEqual({ file: '/opt/Benchtop/benchtop-app', args: ['--ozone-platform=headless', '--disable-gpu', '--benchtop-cli', '--', 'forwarder', 'serve'] });
    // What the started binary makes of it: the CLI with exactly those arguments.
    expect(cliModeArgs([linux.file, ...linux.args], true)).toEqual(['forwarder', 'serve']);
    const mac = selfCommand({ ...app, execPath: '/Applications/Benchtop.app/Contents/MacOS/Benchtop', platform: 'darwin' }, ['forwarder', 'serve']);
    expect(mac.args).toEqual(['--benchtop-cli', '--', 'forwarder', 'serve']);
    // An unpackaged app (`electron .`) takes its app path first.
    const dev = selfCommand({ ...app, execPath: '/w/node_modules/electron/dist/electron', script: '/w/out/cli/benchtop.js', defaultApp: true }, ['forwarder', 'serve']);
    expect(dev.args[0]).toBe('/w');
    expect(cliModeArgs([dev.file, ...dev.args], false)).toEqual(['forwarder', 'serve']);
  });
});
