import { describe, expect, it } from 'vitest';
import { cliModeArgs } from '../../src/main/cli-mode/args';

/** Which starts of the app binary are its command-line mode (src/main/cli-mode/args.ts), and with which arguments. */
describe('the app binary’s command-line mode', () => {
  const app = '/opt/Benchtop/benchtop-app';

  it('takes everything after `--benchtop-cli --` as the CLI’s arguments, as given', () => {
    expect(cliModeArgs([app, '--benchtop-cli', '--', 'up', '--target', 'gpu box', '--', 'x'], true)).toEqual(['up', '--target', 'gpu box', '--', 'x']);
    expect(cliModeArgs([app, '--ozone-platform=headless', '--disable-gpu', '--benchtop-cli', '--', '--version'], true)).toEqual(['--version']);
    expect(cliModeArgs([app, '--benchtop-cli', '--'], true)).toEqual([]);
    expect(cliModeArgs([app, '--benchtop-cli', 'ps'], true)).toEqual(['ps']);
    // Unpackaged (`electron .`): the app path comes first.
    expect(cliModeArgs(['/x/electron', '.', '--benchtop-cli', '--', 'ps'], false)).toEqual(['ps']);
  });

  it('is the app, not the CLI, for any other start: a link, a plain start, the switch after an argument or after --', () => {
    expect(cliModeArgs([app], true)).toBeNull();
    expect(cliModeArgs([app, 'benchtop://open?repo=https://example.com/r.git'], true)).toBeNull();
    expect(cliModeArgs([app, 'benchtop://open?repo=https://example.com/r.git', '--benchtop-cli'], true)).toBeNull();
    expect(cliModeArgs([app, '--', '--benchtop-cli'], true)).toBeNull();
    expect(cliModeArgs([app, '--benchtop-cli=1'], true)).toBeNull();
    expect(cliModeArgs(['/x/electron', '--benchtop-cli'], false)).toBeNull();
  });
});
