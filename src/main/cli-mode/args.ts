/**
 * The app binary's command-line mode: the installed `benchtop` launcher runs
 * `APP [chromium switches] --benchtop-cli -- ARGS` (build/cli/benchtop, benchtop.cmd). The packaged
 * binary has the RunAsNode fuse off (scripts/electron-fuses.mjs), so it cannot be a plain Node.js;
 * its main process runs the bundled CLI instead, with no window. Plain Node, no electron import.
 */
export const CLI_MODE_SWITCH = '--benchtop-cli';

/**
 * The CLI's own arguments when this process was started in command-line mode, else null (the app).
 * Only the launcher's form counts: the switch among the leading switches (before any argument that is
 * not a switch, such as a benchtop:// link), then `--`, then the CLI's arguments as given. An
 * unpackaged app (`electron .`, `electron out/main/index.js`) has its app path first.
 */
export function cliModeArgs(argv: readonly string[], packaged: boolean): string[] | null {
  for (let i = packaged ? 1 : 2; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === CLI_MODE_SWITCH) return argv[i + 1] === '--' ? argv.slice(i + 2) : argv.slice(i + 1);
    if (arg === '--' || !arg.startsWith('--')) return null;
  }
  return null;
}
