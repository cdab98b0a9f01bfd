import { defineConfig } from '@playwright/test';

/**
 * E2E tests of the UI. Project `bridge`: Debian's Chromium (no browser download) against the test
 * bridge (e2e/bridge/server.ts), which serves the built renderer over a real Core. Project
 * `electron`: the same specs in the Electron app where its binary is installed, skipped otherwise.
 * One worker: the machine is small and the specs share one Docker engine.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/e2e',
  globalSetup: './e2e/support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['./test/support/e2e-summary-reporter.ts']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 820 },
  },
  projects: [
    {
      name: 'bridge',
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: {
          executablePath: process.env.BENCHTOP_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    { name: 'electron' },
  ],
});
