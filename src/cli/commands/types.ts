import type { CliContext } from '../context';

export interface Command {
  name: string;
  /** One line for `benchtop --help`. */
  summary: string;
  /** Full usage for `benchtop <name> --help`. */
  usage: string;
  /** Returns the exit code (see ../exit-codes.ts). Throwing a BenchtopError exits 2 with its code. */
  run(ctx: CliContext): Promise<number>;
}
