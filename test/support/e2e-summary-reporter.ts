import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Prints `e2e: N passed, N failed, N skipped` as the run's last line, and why specs were skipped. */
export default class E2eSummaryReporter implements Reporter {
  #passed = 0;
  #failed = 0;
  #skipped = 0;
  readonly #skipReasons = new Set<string>();

  onTestEnd(test: TestCase, result: TestResult): void {
    // Count the final attempt only: retries of one test are one test.
    if (result.retry < test.retries && result.status !== 'passed' && result.status !== 'skipped') return;
    if (result.status === 'passed') this.#passed += 1;
    else if (result.status === 'skipped') {
      this.#skipped += 1;
      for (const a of test.annotations) if (a.type === 'skip' && a.description) this.#skipReasons.add(a.description);
    } else this.#failed += 1;
  }

  onEnd(_result: FullResult): void {
    for (const reason of this.#skipReasons) process.stdout.write(`skipped: ${reason}\n`);
    process.stdout.write(`\ne2e: ${this.#passed} passed, ${this.#failed} failed, ${this.#skipped} skipped\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
