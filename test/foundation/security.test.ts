import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../src/main/csp';
import { parseExternalUrl } from '../../src/main/core/desktop';
import { isAllowedNavigation } from '../../src/main/navigation';
import { isAppSender } from '../../src/main/sender';

const appUrl = 'file:///opt/Benchtop/resources/app.asar/out/renderer/index.html';
const windows = new Set([7]);

describe('sender check', () => {
  it('accepts the top frame of the app window showing the app page', () => {
    expect(isAppSender({ url: `${appUrl}#/sessions`, isTopFrame: true, webContentsId: 7 }, appUrl, windows)).toBe(true);
  });

  it('refuses an iframe, another window, another page and a missing frame', () => {
    expect(isAppSender({ url: appUrl, isTopFrame: false, webContentsId: 7 }, appUrl, windows)).toBe(false);
    expect(isAppSender({ url: appUrl, isTopFrame: true, webContentsId: 8 }, appUrl, windows)).toBe(false);
    expect(isAppSender({ url: 'http://127.0.0.1:8870/lab', isTopFrame: true, webContentsId: 7 }, appUrl, windows)).toBe(false);
    expect(isAppSender({ url: 'file:///tmp/evil.html', isTopFrame: true, webContentsId: 7 }, appUrl, windows)).toBe(false);
    expect(isAppSender(null, appUrl, windows)).toBe(false);
  });

  it('compares origins for a dev-server app URL', () => {
    const dev = 'http://localhost:5173/';
    expect(isAppSender({ url: 'http://localhost:5173/#/x', isTopFrame: true, webContentsId: 7 }, dev, windows)).toBe(true);
    expect(isAppSender({ url: 'http://localhost:5174/', isTopFrame: true, webContentsId: 7 }, dev, windows)).toBe(false);
  });
});

describe('navigation allow-list', () => {
  it('allows only listed origins and the exact app file', () => {
    expect(isAllowedNavigation('http://127.0.0.1:8870/tree?token=x', ['http://127.0.0.1:8870/lab'])).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:8871/', ['http://127.0.0.1:8870/'])).toBe(false);
    expect(isAllowedNavigation('https://evil.example/', [appUrl])).toBe(false);
    expect(isAllowedNavigation('not a url', [appUrl])).toBe(false);
  });
});

describe('external links', () => {
  it('opens only parsed http(s) URLs without credentials', () => {
    expect(parseExternalUrl('https://docs.example.com/x')?.hostname).toBe('docs.example.com');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://x/y', 'https://user:pw@example.com', '']) {
      expect(parseExternalUrl(bad)).toBeNull();
    }
  });
});

describe('content security policy', () => {
  it('is strict and identical in the header and in index.html', () => {
    const html = readFileSync(new URL('../../src/renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(RENDERER_CSP);
    expect(RENDERER_CSP).toContain("default-src 'none'");
    expect(RENDERER_CSP).not.toContain('unsafe-inline');
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
  });
});

describe('window settings', () => {
  it('every window is isolated and sandboxed (source check: main cannot load without Electron)', () => {
    const source = readFileSync(new URL('../../src/main/security.ts', import.meta.url), 'utf8');
    expect(source).toMatch(/contextIsolation: true/);
    expect(source).toMatch(/sandbox: true/);
    expect(source).toMatch(/nodeIntegration: false/);
    expect(source).toMatch(/action: 'deny'/);
    const windowSource = readFileSync(new URL('../../src/main/window.ts', import.meta.url), 'utf8');
    expect(windowSource.match(/SECURE_WEB_PREFERENCES/g)?.length).toBeGreaterThanOrEqual(2);
    expect(windowSource).not.toMatch(/sandbox: false|webSecurity: false|nodeIntegration: true/);
  });
});
