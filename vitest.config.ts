import { defineConfig } from 'vitest/config';

/** Run one at a time after the rest by vitest.serial.config.ts: they share the test host's GPUs, agent and ports. */
export const HOST_SERIAL_TESTS = [
  'test/shared-host/**/*.test.ts',
  'test/shared-host-leases/**/*.test.ts',
  'test/target-agent/**/*.test.ts',
  'test/move/**/*.test.ts',
  'test/sync/watcher.test.ts',
  'test/cli/forwarder.test.ts',
  'test/cloud/notebook.test.ts',
];
/** Likewise one at a time, for the Slurm test cluster's four GPUs and its two-GPU-per-user quota. */
export const CLUSTER_SERIAL_TESTS = ['test/slurm-env/**/*.test.ts', 'test/slurm/**/*.test.ts', 'test/slurm-sync/**/*.test.ts', 'test/team/cluster-join.test.ts'];
export const SERIAL_TESTS = [...HOST_SERIAL_TESTS, ...CLUSTER_SERIAL_TESTS];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: SERIAL_TESTS,
    // Integration tests share one real Docker engine and registry on a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
