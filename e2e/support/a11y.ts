import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** The impacts that fail a run: what keeps a keyboard or screen-reader user from finishing the job. */
const BLOCKING = new Set(['critical', 'serious']);

export interface A11yProblem {
  theme: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page as it is now, in one theme. */
export async function scanNow(page: Page, theme: string): Promise<A11yProblem[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .map((v) => ({
      theme,
      rule: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}

/** One readable line per problem, so a failing run says what to fix and where. */
export function describeProblems(where: string, problems: readonly A11yProblem[]): string {
  return [
    `axe-core found ${problems.length} critical/serious problem(s) on "${where}":`,
    ...problems.map((p) => `  [${p.theme}] ${p.impact} ${p.rule}: ${p.help} at ${p.targets.join(', ')}`),
  ].join('\n');
}

interface FrameWindow {
  requestAnimationFrame(callback: () => void): number;
  document: { documentElement: { dataset: Record<string, string | undefined> } };
}

/**
 * The page's theme once a new system colour scheme has reached it. The app follows the scheme
 * (matchMedia's change event, dispatched in the next rendering frame) only while the theme setting is
 * `system`: after a few frames the page either shows the scheme or keeps the theme its user chose.
 * No fixed wait (a chosen theme used to cost a 2 s time-out per scan); 2 s is only the bound where
 * no frame is ever drawn.
 */
async function themeAfterSchemeChange(page: Page, scheme: 'dark' | 'light'): Promise<string> {
  return page.evaluate(async (wanted) => {
    const w = globalThis as unknown as FrameWindow;
    const html = w.document.documentElement;
    const frame = () => new Promise<void>((done) => {
      const bound = setTimeout(done, 2_000);
      w.requestAnimationFrame(() => {
        clearTimeout(bound);
        done();
      });
    });
    for (let i = 0; i < 3 && html.dataset.theme !== wanted; i++) await frame();
    return html.dataset.theme ?? 'unknown';
  }, scheme);
}

/**
 * Scans the current screen state in the dark and the light theme (the app follows the system scheme
 * under the default `system` theme setting) and throws on any critical or serious violation. The
 * colour scheme is left as it was found.
 */
export async function expectAccessible(page: Page, where: string, schemes: readonly ('dark' | 'light')[] = ['dark', 'light']): Promise<void> {
  const problems: A11yProblem[] = [];
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    // Where the user chose a theme in Settings, the page keeps it whatever the system says.
    const theme = await themeAfterSchemeChange(page, scheme);
    problems.push(...(await scanNow(page, theme)));
  }
  await page.emulateMedia({ colorScheme: null });
  if (problems.length > 0) throw new Error(describeProblems(where, problems));
}
