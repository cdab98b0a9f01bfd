/// <reference lib="dom" />
import type { Page } from '@playwright/test';

/** The smallest window the app supports (the main window's minimum content size is about this). */
export const MIN_WINDOW = { width: 900, height: 600 } as const;
/** The size every screen is also shot at: a common laptop window. */
export const LAPTOP_WINDOW = { width: 1280, height: 800 } as const;

/**
 * What scrolls sideways or sticks out at the current window size: the page, the screen column, any
 * element with its own horizontal scroll bar (a log view, which keeps long lines whole, is the one
 * exception), any element reaching past the screen's right edge, and any digest or key fingerprint
 * wrapped mid-hash. Empty when the layout holds.
 */
export async function sidewaysProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const name = (el: Element) => {
      const label = el.getAttribute('aria-label') ?? el.id ?? '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `<${el.tagName.toLowerCase()}${cls}${label ? ` "${label}"` : ''}> "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    };
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) problems.push(`the page scrolls sideways (${doc.scrollWidth} > ${doc.clientWidth} px)`);
    const main = document.querySelector('main');
    if (!main) return problems;
    if (main.scrollWidth > main.clientWidth) problems.push(`the screen scrolls sideways (${main.scrollWidth} > ${main.clientWidth} px)`);
    const edge = main.getBoundingClientRect().right;
    for (const el of Array.from(main.querySelectorAll('*'))) {
      if (el.closest('[role="log"]') || el.closest('.sr-only')) continue;
      const style = getComputedStyle(el);
      if (/(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${name(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth} px)`);
      }
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.right > edge + 1 && !el.closest('dialog')) problems.push(`${name(el)} reaches past the screen's edge by ${Math.round(box.right - edge)} px`);
    }
    // Digests and key fingerprints never wrap mid-hash: each stays on one line (cut, with a copy button).
    const HASH = /sha256:[0-9a-f]{12,}|SHA256:[A-Za-z0-9+/]{20,}/g;
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('[role="log"]') || parent.closest('.sr-only') || !parent.checkVisibility()) continue;
      for (const match of (node.textContent ?? '').matchAll(HASH)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) problems.push(`${name(parent)} wraps ${match[0].slice(0, 20)}… across ${lines.size} lines`);
      }
    }
    return [...new Set(problems)].slice(0, 12);
  });
}
