import type { OptionSpecs, ParsedArgs } from '../args';
import type { CliContext } from '../context';
import type { LightContext } from '../light-context';

export interface Command {
  /** The command word (the same as its entry in ./index.ts, which also holds its one-line summary). */
  name: string;
  /** Synopsis and description for `benchtop <name> --help`; the option list is printed from `options`. */
  usage: string;
  /**
   * Every option this command accepts besides the global ones (--json, --verbose, --help). The command
   * line is parsed strictly against it: anything else exits 64 with a suggestion.
   */
  options: OptionSpecs;
  /** Returns the exit code (see ../exit-codes.ts). Throwing a BenchtopError exits 2 with its code. */
  run(ctx: CliContext): Promise<number>;
  /**
   * A fast path without the core (../light-run.ts), taken instead of `run` for the command lines it
   * `applies` to. The CLI's start-up front (../fast.ts) answers these without loading the rest.
   */
  light?: {
    /** Whether this command line is answered without the core (decided from the arguments alone). */
    applies(args: ParsedArgs): boolean;
    /** Returns the exit code, as `run` does. */
    run(ctx: LightContext): Promise<number>;
  };
}
