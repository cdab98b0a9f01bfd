import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `unit: N passed, N failed, N skipped`, that CI logs can be read by,
 * after one `failed: file › test — first line of the error` line per failure, so the tail of a CI log
 * names what failed (scripts/test.sh repeats these lines at the very end).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const lines: string[] = [];
    for (const module of testModules) {
      let moduleFailures = 0;
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed += 1;
        else if (result.state === 'failed') {
          failed += 1;
          moduleFailures += 1;
          lines.push(`failed: ${module.moduleId.replace(`${process.cwd()}/`, '')} › ${test.fullName} — ${firstLine(result.errors?.[0]?.message)}`);
        } else skipped += 1;
      }
      // A file that fails before its tests run (an import error, a failing beforeAll) has no failed test.
      const errors = module.errors();
      if (moduleFailures === 0 && errors.length > 0) {
        failed += 1;
        lines.push(`failed: ${module.moduleId.replace(`${process.cwd()}/`, '')} — ${firstLine(errors[0]?.message)}`);
      }
    }
    for (const line of lines) process.stdout.write(`${line}\n`);
    process.stdout.write(`\nunit: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

function firstLine(message: string | undefined): string {
  return (message ?? 'no message').split('\n')[0]!.slice(0, 300);
}
