/**
 * A stopwatch: milliseconds since it was started, from process.hrtime (monotonic). The global
 * `performance` would do the same, but its first use loads perf_hooks and a dozen modules: most of
 * a millisecond of a short `benchtop check`.
 */
export function stopwatch(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e6;
}
