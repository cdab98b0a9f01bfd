/**
 * Runs the benchmarks one after another (they share one engine, so never in parallel):
 *   npm run bench                      every bench/*.bench.ts
 *   npm run bench -- sync pull         only those
 * Each prints Benchtop's figures beside the plain tool's and the ratio; this adds nothing to them.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const all = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = wanted.length ? all.filter((f) => wanted.some((w) => f.startsWith(`${w}.`) || f === w)) : all;
if (chosen.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}; there are: ${all.map((f) => f.replace('.bench.ts', '')).join(', ')}`);
  process.exit(64);
}
/** One bench that hangs (a wedged engine, a cluster that never runs the job) must not hang the rest. */
const LIMIT_MS = Number(process.env.BENCHTOP_BENCH_TIMEOUT_MS ?? 15 * 60_000);
let failed = 0;
for (const file of chosen) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit', timeout: LIMIT_MS, killSignal: 'SIGKILL' });
  if (result.error || result.signal) console.error(`${file}: stopped after ${Math.round(LIMIT_MS / 1000)} s without finishing (${result.signal ?? result.error?.message}); set BENCHTOP_BENCH_TIMEOUT_MS for a longer limit`);
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
