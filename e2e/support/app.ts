import { test as base, _electron, type ElectronApplication, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Envelope } from '../../src/shared/errors';
import type { Channel } from '../../src/shared/ipc';
import type { Notified, OpenedUrl } from '../bridge/server';
import { expectAccessible } from './a11y';
import { BRIDGE_OUT } from './bridge-build';
import { installElectronDesktop, electronNotified, electronOpened } from './electron-desktop';
import { electronBinary } from './electron-binary';
import { invokeInPage, invokeOverHttp } from './invoke';

const root = resolve(import.meta.dirname, '../..');

export interface LaunchOptions {
  /** The folder "Open project folder…" answers with. */
  project?: string;
  /** Extra environment for the app process (e.g. DOCKER_HOST pointing at a dead socket). */
  env?: Record<string, string>;
  /** Extra command-line arguments for the Electron app (e.g. a benchtop:// link it was opened with). */
  args?: string[];
}

export interface AppHandle {
  kind: 'bridge' | 'electron';
  page: Page;
  /** The settings folder (BENCHTOP_HOME) of this app instance. */
  home: string;
  /** The bridge's origin (empty under Electron). */
  url: string;
  /** The Electron app itself (Electron only), e.g. for `electronApp.evaluate` in the main process. */
  electronApp?: ElectronApplication;
  /** What the app asked the desktop to open (notebooks, links, local pages), in order. */
  opened(): Promise<OpenedUrl[]>;
  /** The desktop notifications the core sent, in order. */
  notified(): Promise<Notified[]>;
  /**
   * One `window.benchtop` call as the app page makes it, answered as an envelope: over HTTP to the
   * bridge, or through the page's own preload API under Electron. Use callBridge (bridge-call.ts).
   */
  invoke(channel: Channel, request: unknown): Promise<Envelope<unknown>>;
}

type Launch = (options?: LaunchOptions) => Promise<AppHandle>;

/**
 * Starts the bridge and waits for the URL it prints: plain `node out/e2e-bridge/server.js`, bundled
 * once by global setup (bridge-build.ts), or `node --import tsx e2e/bridge/server.ts` without it.
 */
function spawnBridge(home: string, options: LaunchOptions): { child: ChildProcess; url: Promise<string> } {
  const bundled = join(root, BRIDGE_OUT, 'server.js');
  const args = existsSync(bundled) ? [bundled] : ['--import', 'tsx', 'e2e/bridge/server.ts'];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, BENCHTOP_HOME: home, BENCHTOP_E2E_PROJECT: options.project ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<string>((done, fail) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`The bridge did not start in 60 s.\n${err}`)), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /BENCHTOP_BRIDGE_URL=(\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`The bridge exited with ${code} before it listened.\n${err}`));
    });
  });
  return { child, url };
}

export const test = base.extend<{ launch: Launch; electronGate: void }>({
  // Every spec of the `electron` project is skipped, with the reason, where Electron cannot run.
  electronGate: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring pattern.
    async ({}, use, testInfo) => {
      const binary = electronBinary();
      if (testInfo.project.name === 'electron' && 'missing' in binary) testInfo.skip(true, binary.missing);
      await use();
    },
    { auto: true },
  ],

  launch: async ({ browser }, use, testInfo) => {
    const stops: (() => Promise<void>)[] = [];
    const pages: Page[] = [];
    await use(async (options = {}) => {
      const home = mkdtempSync(join(tmpdir(), 'bt-e2e-home-'));
      stops.push(async () => rmSync(home, { recursive: true, force: true }));
      if (testInfo.project.name === 'electron') {
        const binary = electronBinary();
        if ('missing' in binary) throw new Error(binary.missing);
        const app = await _electron.launch({
          executablePath: binary.path,
          // userData (where electron-store keeps settings.json) goes to the test's own folder.
          args: ['--no-sandbox', `--user-data-dir=${home}`, join(root, 'out/main/index.js'), ...(options.args ?? [])],
          env: { ...process.env, BENCHTOP_HOME: home, BENCHTOP_E2E_PROJECT: options.project ?? '', ...options.env } as Record<string, string>,
        });
        stops.unshift(() => app.close());
        await installElectronDesktop(app, options.project);
        const window = await app.firstWindow();
        pages.push(window);
        return {
          kind: 'electron',
          page: window,
          home,
          url: '',
          electronApp: app,
          opened: () => electronOpened(app),
          notified: () => electronNotified(app),
          invoke: (channel, request) => invokeInPage(window, channel, request),
        };
      }
      // The bridge starts while Chromium makes the context and page (a new renderer process): the
      // two take about as long, and neither needs the other until the page goes to the URL.
      const { child, url: listening } = spawnBridge(home, options);
      stops.unshift(
        () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      );
      const opening = (async () => {
        const context = await browser.newContext();
        stops.unshift(() => context.close());
        const page = await context.newPage();
        pages.push(page);
        return page;
      })();
      // Both settle before a failure is thrown, so teardown closes whatever was made.
      const [started, opened] = await Promise.allSettled([listening, opening]);
      if (started.status === 'rejected') throw started.reason;
      if (opened.status === 'rejected') throw opened.reason;
      const url = started.value;
      const page = opened.value;
      await page.goto(url);
      return {
        kind: 'bridge',
        page,
        home,
        url,
        opened: async () => (await (await fetch(`${url}/__bridge/opened`)).json()) as OpenedUrl[],
        notified: async () => (await (await fetch(`${url}/__bridge/notified`)).json()) as Notified[],
        invoke: (channel, request) => invokeOverHttp(url, channel, request),
      };
    });
    // The screen each passing test ends on is checked with axe-core in both themes (screens shot on
    // the way are checked by shootBothThemes); a test that already failed keeps its own error.
    try {
      if (testInfo.status === testInfo.expectedStatus) {
        for (const page of pages.filter((p) => !p.isClosed())) await expectAccessible(page, `end of "${testInfo.title}"`);
      }
    } finally {
      // Teardown errors would hide the test's own result; each stop is best effort by design.
      for (const stop of stops) await stop().catch(() => undefined);
    }
  },
});

export { expect } from '@playwright/test';
