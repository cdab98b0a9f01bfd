import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Prints `e2e: N passed, N failed, N skipped` as the run's last line, after why specs were skipped and one `failed:` line per failure. */
export default class E2eSummaryReporter implements Reporter {
  #passed = 0;
  #failed = 0;
  #skipped = 0;
  readonly #skipReasons = new Set<string>();
  readonly #failures: string[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    // Count the final attempt only: retries of one test are one test.
    if (result.retry < test.retries && result.status !== 'passed' && result.status !== 'skipped') return;
    if (result.status === 'passed') this.#passed += 1;
    else if (result.status === 'skipped') {
      this.#skipped += 1;
      for (const a of test.annotations) if (a.type === 'skip' && a.description) this.#skipReasons.add(a.description);
    } else {
      this.#failed += 1;
      const where = `${test.location.file.replace(`${process.cwd()}/`, '')}:${test.location.line}`;
      const message = (result.error?.message ?? result.status).split('\n')[0]!.slice(0, 300);
      this.#failures.push(`failed: ${where} › ${test.titlePath().slice(1).join(' › ')} — ${message}`);
    }
  }

  onEnd(_result: FullResult): void {
    for (const reason of this.#skipReasons) process.stdout.write(`skipped: ${reason}\n`);
    for (const line of this.#failures) process.stdout.write(`${line}\n`);
    process.stdout.write(`\ne2e: ${this.#passed} passed, ${this.#failed} failed, ${this.#skipped} skipped\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
