/** The URL scheme of Benchtop's links (registered with the OS by the installers). */
export const LINK_SCHEME = 'benchtop';

/** The benchtop:// links among a process's arguments (a start or second start from a clicked link). */
export function linksIn(argv: readonly string[]): string[] {
  return argv.filter((arg) => arg.toLowerCase().startsWith(`${LINK_SCHEME}://`));
}
