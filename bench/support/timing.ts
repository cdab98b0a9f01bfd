/** Shared by every bench: run both sides alternately, keep each run's time, print medians and the ratio. */

export interface Side {
  name: string;
  /** One timed run; resolves when the work is done. */
  run(): Promise<void>;
  /** Untimed work before each run (e.g. remove the previous container or image). */
  reset?(): Promise<void>;
}

export interface Comparison {
  title: string;
  runs: number;
  benchtop: number[];
  plain: number[];
  goal: number;
}

export async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Alternates the two sides (plain first, then Benchtop, `runs` times) so drift on a shared machine
 * (other builds, page cache) hits both alike. A warm-up of each runs first and is not counted.
 */
export async function compare(title: string, benchtop: Side, plain: Side, runs: number, goal: number, warmup = true): Promise<Comparison> {
  const result: Comparison = { title, runs, benchtop: [], plain: [], goal };
  if (warmup) {
    for (const side of [plain, benchtop]) {
      await side.reset?.();
      await side.run();
    }
  }
  for (let i = 0; i < runs; i += 1) {
    for (const [side, into] of [[plain, result.plain], [benchtop, result.benchtop]] as const) {
      await side.reset?.();
      into.push(await timed(() => side.run()));
    }
    process.stderr.write(`  run ${i + 1}/${runs}: ${plain.name} ${result.plain.at(-1)?.toFixed(0)} ms, ${benchtop.name} ${result.benchtop.at(-1)?.toFixed(0)} ms\n`);
  }
  return result;
}

/** Prints both sides and the ratio; the exit code is not tied to the goal (speed is reported, not asserted). */
export function report(c: Comparison, plainName: string): void {
  const b = median(c.benchtop);
  const p = median(c.plain);
  const ratio = b / p;
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  process.stdout.write(
    `\n${c.title} (${c.runs} runs each, median)\n` +
      `  ${plainName.padEnd(34)} ${p.toFixed(0).padStart(7)} ms   [${fmt(c.plain)}]\n` +
      `  ${'Benchtop'.padEnd(34)} ${b.toFixed(0).padStart(7)} ms   [${fmt(c.benchtop)}]\n` +
      `  ratio Benchtop / plain: ${ratio.toFixed(3)}  (goal <= ${c.goal.toFixed(2)}: ${ratio <= c.goal ? 'met' : 'NOT met'})\n`,
  );
}
