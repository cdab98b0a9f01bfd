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
    const themed = await page
      .locator(`html[data-theme="${scheme}"]`)
      .waitFor({ timeout: 2_000 })
      .then(() => true, () => false);
    const theme = themed ? scheme : ((await page.locator('html').getAttribute('data-theme')) ?? 'unknown');
    problems.push(...(await scanNow(page, theme)));
  }
  await page.emulateMedia({ colorScheme: null });
  if (problems.length > 0) throw new Error(describeProblems(where, problems));
}
