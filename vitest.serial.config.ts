import { defineConfig } from 'vitest/config';
import { CLUSTER_SERIAL_TESTS, HOST_SERIAL_TESTS, SERIAL_TESTS } from './vitest.config';

/**
 * The test files that share one scarce thing: the SSH test host (its four simulated GPUs, its agent,
 * the fixture project's fixed Jupyter port there, the eight-start burst) or the Slurm test cluster
 * (its four GPUs, the per-user quota, a test that stops its controller). Each group runs one file at
 * a time, after the rest, so no two of them contend and a busy machine cannot turn contention into a
 * failure. The two groups share nothing, so `scripts/test.sh` runs them side by side
 * (BENCHTOP_SERIAL_GROUP=host|cluster); without it, both run here one file at a time.
 */
const group = process.env.BENCHTOP_SERIAL_GROUP;
const include = group === 'host' ? HOST_SERIAL_TESTS : group === 'cluster' ? CLUSTER_SERIAL_TESTS : SERIAL_TESTS;
if (group && group !== 'host' && group !== 'cluster') throw new Error(`BENCHTOP_SERIAL_GROUP is "host" or "cluster", not "${group}"`);

export default defineConfig({
  test: {
    include,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
