/**
 * Where a start with no target of its own goes: the effective default target (the user's setting,
 * else the team file's) may be a Slurm cluster, and then the session is a job submitted there
 * (`slurm up`), not a container started by `sessions.up`. Used by the CLI's `up` and the app's Start.
 */
export interface StartRouteDeps {
  isCluster(target: string | undefined): boolean;
  /** The effective default target for the project folder (core.team.defaultTarget). */
  defaultTarget(dir: string): Promise<string>;
}

export type StartRoute = { kind: 'cluster'; target: string } | { kind: 'session'; target: string | undefined };

/** `asked`: the target the caller named (`--target`); a named target is never second-guessed. */
export async function startRoute(deps: StartRouteDeps, dir: string, asked?: string): Promise<StartRoute> {
  if (asked) return deps.isCluster(asked) ? { kind: 'cluster', target: asked } : { kind: 'session', target: asked };
  const target = await deps.defaultTarget(dir);
  return deps.isCluster(target) ? { kind: 'cluster', target } : { kind: 'session', target: undefined };
}
