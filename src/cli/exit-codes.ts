/** Exit codes scripts can rely on; printed by `benchtop --help`. */
export const EXIT = {
  /** Done, and everything is fine. */
  OK: 0,
  /** Done, and the answer is "no" (a check failed, a lockfile differs, drift found). */
  NEGATIVE: 1,
  /** Could not do it (no engine, bad input, network): see the error code. */
  ERROR: 2,
  /** The command line itself is wrong. */
  USAGE: 64,
  /** Interrupted with Ctrl-C (128 + SIGINT), after its operations were cancelled and connections closed. */
  INTERRUPTED: 130,
} as const;
