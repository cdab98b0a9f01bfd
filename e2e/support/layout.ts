import type { Page } from '@playwright/test';

/*
 * The little of the page's DOM the probe uses. This file compiles with the Node project, and a
 * `/// <reference lib="dom" />` here would put the DOM's fetch types over Node's in every file of it.
 */
interface Rect { top: number; right: number; width: number }
interface DomNode { textContent: string | null; parentElement: DomElement | null }
interface DomElement extends DomNode {
  id: string;
  className: unknown;
  tagName: string;
  scrollWidth: number;
  clientWidth: number;
  getAttribute(name: string): string | null;
  closest(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  getBoundingClientRect(): Rect;
  checkVisibility(): boolean;
}
interface DomRange { setStart(node: DomNode, offset: number): void; setEnd(node: DomNode, offset: number): void; getClientRects(): ArrayLike<Rect> }
interface PageGlobals {
  document: {
    documentElement: DomElement;
    querySelector(selector: string): DomElement | null;
    createTreeWalker(root: DomElement, what: number): { nextNode(): DomNode | null };
    createRange(): DomRange;
  };
  getComputedStyle(el: DomElement): { overflowX: string };
  NodeFilter: { SHOW_TEXT: number };
}

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
    const { document, getComputedStyle, NodeFilter } = globalThis as unknown as PageGlobals;
    const problems: string[] = [];
    const name = (el: DomElement) => {
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
