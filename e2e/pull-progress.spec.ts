import { readFile, writeFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { testEnv } from '../test/support/env';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test, type AppHandle } from './support/app';
import { removeSessionsOf } from './support/bridge-call';
import { waitForNotebook } from './support/start-flow';
import { dropUniqueImage, pushUniqueAnalysisImage, testDocker, type UniqueImage } from './support/unique-analysis-image';

const MB = 1024 * 1024;
let project: FixtureProject | undefined;
let app: AppHandle | undefined;
let image: UniqueImage | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  if (image) await dropUniqueImage(testDocker(), image);
  await project?.cleanup();
  app = undefined;
  project = undefined;
  image = undefined;
});

/** One rendering of the session step, as the page showed it. */
interface Seen {
  /** The step's accessible name, e.g. `Start the session: running`. */
  step: string;
  /** `12.5 MB of 192 MB`, when the step showed a byte count. */
  amount: string | null;
  /** The download bar's aria-valuenow. */
  value: string | null;
}

/** The little of the page's DOM the recorder uses (this file compiles without the DOM library). */
interface DomElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
}
interface PageGlobals {
  document: { body: unknown; querySelector(selector: string): DomElement | null };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  __btSeen: Seen[];
}

/**
 * Records, inside the page, every state of the "Start the session" step the user could have seen:
 * a pull on a loopback registry takes about a second, too quick to sample from the test process.
 */
async function recordSessionStep(page: Page): Promise<void> {
  await page.evaluate(() => {
    const win = globalThis as unknown as PageGlobals;
    const seen: Seen[] = [];
    win.__btSeen = seen;
    const record = () => {
      const step = win.document.querySelector('[aria-label^="Start the session:"]');
      if (!step) return;
      const amount = /\d[\d.]* [KMGT]?B of \d[\d.]* [KMGT]?B/.exec(step.textContent ?? '')?.[0] ?? null;
      const value = step.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') ?? null;
      const entry = { step: step.getAttribute('aria-label') ?? '', amount, value };
      const last = seen[seen.length - 1];
      if (!last || last.step !== entry.step || last.amount !== entry.amount || last.value !== entry.value) seen.push(entry);
    };
    new win.MutationObserver(record).observe(win.document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: MB, GB: 1024 * MB, TB: 1024 * 1024 * MB };
const bytes = (text: string) => {
  const [value = '0', unit = 'B'] = text.split(' ');
  return Number(value) * (UNITS[unit] ?? NaN);
};

test('Start on an image the engine lacks shows the download advancing, then reaches a live Jupyter', async ({ launch }) => {
  test.setTimeout(480_000);
  const env = testEnv();
  const docker = testDocker();

  // The analysis image plus four layers of 48 MB of random bytes: same labels (so the lockfile
  // matches), Jupyter as usual, and nearly 200 MB the engine must really download.
  project = await makeProject({ version: env.image.latest });
  image = await pushUniqueAnalysisImage(docker, `e2e-pull-${Date.now().toString(36)}`, env.image.latest, 4, 48 * MB);
  expect(await docker.getImage(image.ref).inspect().then(() => true, () => false), 'the engine must not have the image yet').toBe(false);
  const text = await readFile(project.devcontainerPath, 'utf8');
  await writeFile(project.devcontainerPath, text.replace(`"${project.image}"`, `"${image.ref}"`));

  app = await launch({ project: project.dir });
  const { page } = app;
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'basic-analysis' })).toBeVisible();
  await expect(page.getByText(image.digest.slice(0, 19))).toBeVisible();

  await recordSessionStep(page);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const steps = page.getByRole('list', { name: 'Start progress' });
  await waitForNotebook(page, 360_000);
  await expect(page.getByTestId('session-url')).toContainText('http://127.0.0.1:');
  await expect(steps.getByRole('listitem', { name: 'Start the session: done' }).getByRole('progressbar', { name: 'Image download' })).toHaveAttribute('aria-valuenow', '100');

  const seen = await page.evaluate(() => (globalThis as unknown as PageGlobals).__btSeen);
  const running = seen.filter((s) => s.step === 'Start the session: running');
  const amounts = [...new Set(running.map((s) => s.amount).filter((a): a is string => a !== null))];
  const detail = `What the session step showed, in order:\n${seen.map((s) => `${s.step} | ${s.amount ?? '-'} | ${s.value ?? '-'}`).join('\n')}`;
  await test.info().attach('session-step.txt', { body: detail, contentType: 'text/plain' });
  // The byte count advanced while the step ran: several different "X of Y" figures, one of them
  // partway (more than nothing, less than all), each no smaller than the one before.
  expect(amounts.length, detail).toBeGreaterThanOrEqual(2);
  const partway = amounts.filter((a) => {
    const [doneText = '', totalText = ''] = a.split(' of ');
    return bytes(doneText) > 0 && bytes(doneText) < bytes(totalText);
  });
  expect(partway.length, detail).toBeGreaterThanOrEqual(1);
  const doneBytes = amounts.map((a) => bytes(a.split(' of ')[0] ?? ''));
  expect(doneBytes, detail).toEqual([...doneBytes].sort((a, b) => a - b));
  // One total for the whole download: layers the engine already has are not counted, so the figure
  // the user reads first is the one it ends with (no bar jumping backwards).
  const totals = [...new Set(amounts.map((a) => a.split(' of ')[1] ?? ''))];
  expect(totals, detail).toHaveLength(1);
  // The bar moved with it: some value strictly between empty and full while the step ran, never back.
  const values = running.map((s) => Number(s.value)).filter((v) => Number.isFinite(v));
  expect(values.some((v) => v > 0 && v < 100), detail).toBe(true);
  expect(values, detail).toEqual([...values].sort((a, b) => a - b));

  // The image is on the engine now, under the pinned digest.
  const pulled = await docker.getImage(image.ref).inspect();
  expect(pulled.RepoDigests).toContain(image.ref);
});
