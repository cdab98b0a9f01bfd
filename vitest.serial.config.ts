import { defineConfig } from 'vitest/config';
import { SERIAL_TESTS } from './vitest.config';

/**
 * The test files that share one scarce thing on the SSH test host (its four simulated GPUs, its
 * agent, the fixture project's fixed Jupyter port there, the eight-start burst): run one file at a
 * time, after the rest (`scripts/test.sh`), so no two of them contend and a busy machine cannot
 * turn contention into a failure.
 */
export default defineConfig({
  test: {
    include: SERIAL_TESTS,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
