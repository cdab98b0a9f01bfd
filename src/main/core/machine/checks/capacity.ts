import type { Requirement } from '../requirements';
import type { CheckOutcome } from '../types';

/**
 * The verdict of a "how much of it" check (CPU cores, memory) against its hostRequirements field:
 * pass with no requirement, warn on one that cannot be read, otherwise pass or fail on `have`.
 * A failure's hint depends on whether the engine gets less than this computer has (`engineLimited`).
 */
export function capacityOutcome(c: {
  field: 'cpus' | 'memory';
  need: Requirement<number>;
  have: number;
  value: string;
  /** How a requirement reads, e.g. `≥ 4 cores (hostRequirements.cpus)`. */
  requirement(need: number, written: string): string;
  /** How to write the field, e.g. `a whole number of cores, e.g. "cpus": 4`. */
  writeAs: string;
  /** `need` said the user's way, e.g. `4 cores`. */
  amount(need: number): string;
  engineLimited: boolean;
  /** What to do when the engine gets too little. */
  engineFix: string;
}): CheckOutcome {
  const { need, value } = c;
  if (need.kind === 'none') return { status: 'pass', value };
  if (need.kind === 'invalid') {
    return { status: 'warn', value, requirement: `hostRequirements.${c.field} is ${need.written}`,
      hint: `Write hostRequirements.${c.field} as ${c.writeAs}.` };
  }
  const requirement = c.requirement(need.value, need.written);
  if (c.have >= need.value) return { status: 'pass', value, requirement };
  return { status: 'fail', value, requirement,
    hint: c.engineLimited
      ? c.engineFix
      : `Run this project on a machine with ${c.amount(need.value)} or more (a GPU host), or lower hostRequirements.${c.field}.` };
}
