import Conf from 'conf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { DEFAULT_SETTINGS, type Settings } from '../../src/main/core/settings/schema';

const scratch = mkdtempSync(join(tmpdir(), 'bt-test-settings-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The app's side: electron-store is `conf` with these options (see src/main/settings-store.ts). */
const appConf = (dir: string) => new Conf<Settings>({ cwd: dir, configName: 'settings', defaults: DEFAULT_SETTINGS, clearInvalidConfig: false, projectName: 'benchtop' });

describe('the CLI\'s settings file is the app\'s', () => {
  it('writes the same file conf writes, byte for byte', () => {
    const ours = mkdtempSync(join(scratch, 'ours-'));
    const theirs = mkdtempSync(join(scratch, 'conf-'));
    openConfSettings(ours).set('userName', 'ana');
    appConf(theirs).set('userName', 'ana');
    expect(readFileSync(join(ours, 'settings.json'), 'utf8')).toBe(readFileSync(join(theirs, 'settings.json'), 'utf8'));
  });

  it('reads what the app wrote and the app reads what the CLI wrote, each change seen at once', () => {
    const dir = mkdtempSync(join(scratch, 'shared-'));
    const cli = openConfSettings(dir);
    const app = appConf(dir);
    app.set('defaultTarget', 'gpu-box');
    expect(cli.get('defaultTarget')).toBe('gpu-box');
    cli.update('hosts', (hosts) => [...hosts, { id: 'gpu-box', spec: 'ana@gpu-box', hostname: 'gpu-box', port: 22, user: 'ana', addedAt: '2026-01-01T00:00:00.000Z' } as Settings['hosts'][number]]);
    expect(app.get('hosts').map((h) => h.id)).toEqual(['gpu-box']);
  });
});
