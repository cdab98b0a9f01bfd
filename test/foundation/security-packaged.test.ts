import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_URL, appFileFor, appResponseHeaders } from '../../src/main/app-scheme';
import { RENDERER_CSP } from '../../src/main/csp';
import { developmentSwitches, refusedSwitches } from '../../src/main/dev-switches';
import { isAllowedNavigation } from '../../src/main/navigation';
import { isAppSender } from '../../src/main/sender';

const root = join(sep, 'opt', 'Benchtop', 'resources', 'app.asar', 'out', 'renderer');

describe('the app:// protocol that serves the renderer', () => {
  it('maps app://benchtop paths to files in the renderer folder, / to index.html, with a content type', () => {
    expect(appFileFor(APP_URL, root)).toEqual({ status: 200, path: join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(appFileFor('app://benchtop/', root)).toMatchObject({ status: 200, path: join(root, 'index.html') });
    expect(appFileFor('app://benchtop/assets/index-abc.js?v=1#x', root)).toEqual({ status: 200, path: join(root, 'assets', 'index-abc.js'), contentType: 'text/javascript; charset=utf-8' });
    expect(appFileFor('app://benchtop/assets/a%20b.css', root)).toMatchObject({ status: 200, path: join(root, 'assets', 'a b.css'), contentType: 'text/css; charset=utf-8' });
  });

  it('refuses every way out of the renderer folder, and other hosts or schemes', () => {
    const outside = [
      'app://benchtop/../../../../etc/passwd',
      'app://benchtop/%2e%2e/%2e%2e/etc/passwd',
      'app://benchtop/assets/%2E%2E/%2E%2E/main/index.js',
      'app://benchtop/..%2f..%2fetc%2fpasswd',
      'app://benchtop/..%5c..%5cwindows%5cwin.ini',
      'app://benchtop/assets%5c..%5c..%5csecret',
      'app://benchtop/index.html%00.png',
      'app://evil/index.html',
      'file:///etc/passwd',
      'https://benchtop/index.html',
    ];
    for (const url of outside) {
      const file = appFileFor(url, root);
      // Either refused, or (where the URL parser already resolved the dots) still inside the folder.
      if (file.status === 200) expect(file.path.startsWith(`${root}${sep}`), url).toBe(true);
      else expect([400, 403], url).toContain(file.status);
    }
    expect(appFileFor('app://benchtop/..%2f..%2fetc%2fpasswd', root)).toMatchObject({ status: 403 });
    expect(appFileFor('app://evil/index.html', root)).toMatchObject({ status: 403 });
    expect(appFileFor('app://benchtop/%E0%A4%A', root)).toMatchObject({ status: 400 });
    expect(appFileFor('not a url', root)).toMatchObject({ status: 400 });
  });

  it('sends the renderer CSP as a header on every response', () => {
    expect(appResponseHeaders('text/html; charset=utf-8')).toEqual({
      'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache',
    });
  });

  it('admits app://benchtop in the navigation allow-list and the sender check, never another app:// host', () => {
    expect(isAllowedNavigation('app://benchtop/index.html#/hosts', [APP_URL])).toBe(true);
    expect(isAllowedNavigation('app://evil/index.html', [APP_URL])).toBe(false);
    expect(isAllowedNavigation('other://benchtop/index.html', [APP_URL])).toBe(false);
    expect(isAllowedNavigation('file:///opt/Benchtop/resources/app.asar/out/renderer/index.html', [APP_URL])).toBe(false);
    expect(isAllowedNavigation('http://127.0.0.1:8870/lab', [APP_URL])).toBe(false);
    const windows = new Set([3]);
    expect(isAppSender({ url: 'app://benchtop/index.html#/sessions', isTopFrame: true, webContentsId: 3 }, APP_URL, windows)).toBe(true);
    expect(isAppSender({ url: 'app://benchtop/index.html', isTopFrame: false, webContentsId: 3 }, APP_URL, windows)).toBe(false);
    expect(isAppSender({ url: 'app://other/index.html', isTopFrame: true, webContentsId: 3 }, APP_URL, windows)).toBe(false);
    // The e2e bridge serves the renderer over http and keeps its origin rule.
    expect(isAllowedNavigation('http://127.0.0.1:40123/#/x', ['http://127.0.0.1:40123'])).toBe(true);
  });
});

describe('development switches', () => {
  it('honours ELECTRON_RENDERER_URL (a loopback dev server only) and DevTools only when not packaged', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
    expect(developmentSwitches(env, false)).toEqual({ rendererUrl: 'http://localhost:5173/', devTools: true });
    expect(developmentSwitches(env, true)).toEqual({ devTools: false });
    expect(developmentSwitches({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false)).toEqual({ rendererUrl: undefined, devTools: true });
    expect(developmentSwitches({ ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }, false).rendererUrl).toBeUndefined();
    expect(developmentSwitches({}, false)).toEqual({ rendererUrl: undefined, devTools: true });
  });

  it('lets a packaged app refuse debugging switches, and an unpackaged one run with them (Playwright uses them)', () => {
    const argv = ['/opt/Benchtop/benchtop-app', '--remote-debugging-port=9222', '--inspect=0', '--no-sandbox', 'benchtop://open?x=1'];
    expect(refusedSwitches(argv, true)).toEqual(['remote-debugging-port', 'inspect']);
    expect(refusedSwitches(argv, false)).toEqual([]);
    expect(refusedSwitches(['/opt/Benchtop/benchtop-app'], true)).toEqual([]);
  });
});

describe('Electron fuses set at packaging', () => {
  interface FuseHook {
    fuseConfig(platform: string, arch: string): Record<string | number, unknown>;
    appBinary(context: { appOutDir: string; electronPlatformName: string; packager: { appInfo: { productFilename: string }; executableName: string } }): string;
    afterPack(context: unknown): Promise<void>;
  }
  // A variable path: the hook is plain JavaScript that electron-builder loads, not part of the typed build.
  const hookPath = new URL('../../scripts/electron-fuses.mjs', import.meta.url).href;
  const load = async () => (await import(/* @vite-ignore */ hookPath)) as FuseHook;
  const fuses = () => import('@electron/fuses');

  it('turns off RunAsNode, NODE_OPTIONS and --inspect, turns on cookie encryption, asar integrity and asar-only loading', async () => {
    const hook = await load();
    const { FuseV1Options, FuseVersion } = await fuses();
    expect(hook.fuseConfig('linux', 'x64')).toEqual({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: false,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    expect(hook.fuseConfig('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true);
  });

  it('is electron-builder’s afterPack hook, pointed at each platform’s binary', async () => {
    const hook = await load();
    expect(typeof hook.afterPack).toBe('function');
    expect(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')).toMatch(/^afterPack: \.\/scripts\/electron-fuses\.mjs$/m);
    const packager = { appInfo: { productFilename: 'Benchtop' }, executableName: 'benchtop-app' };
    expect(hook.appBinary({ appOutDir: '/dist/linux-unpacked', electronPlatformName: 'linux', packager })).toBe(join('/dist/linux-unpacked', 'benchtop-app'));
    expect(hook.appBinary({ appOutDir: '/dist/mac', electronPlatformName: 'darwin', packager })).toBe(join('/dist/mac', 'Benchtop.app'));
    expect(hook.appBinary({ appOutDir: '/dist/win-unpacked', electronPlatformName: 'win32', packager })).toBe(join('/dist/win-unpacked', 'Benchtop.exe'));
  });
});
