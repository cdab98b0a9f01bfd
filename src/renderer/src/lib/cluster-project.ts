/**
 * The project folder on this computer of a cluster session: the queue knows the project's name,
 * not its folder, so it is the open project of that name, else the one recent project of that name
 * (as the core's background sync resumes it); undefined when none or several match.
 */
export function clusterProjectDir(
  projectName: string,
  open: { dir: string; name: string } | null | undefined,
  recent: readonly { dir: string; name: string }[] | undefined,
): string | undefined {
  if (open && open.name === projectName) return open.dir;
  const dirs = [...new Set((recent ?? []).filter((p) => p.name === projectName).map((p) => p.dir))];
  return dirs.length === 1 ? dirs[0] : undefined;
}
