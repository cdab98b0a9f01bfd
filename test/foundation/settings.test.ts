import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { DEFAULT_SETTINGS } from '../../src/main/core/settings/schema';

const tempDir = () => mkdtempSync(join(tmpdir(), 'bt-test-settings-'));

describe('settings', () => {
  it('starts with defaults that need no configuration (local engine)', () => {
    const store = openConfSettings(tempDir());
    expect(store.get('defaultTarget')).toBe('local');
    expect(store.get('sessionPorts')).toEqual(DEFAULT_SETTINGS.sessionPorts);
    expect(store.warnings).toEqual([]);
  });

  it('persists values across opens', () => {
    const dir = tempDir();
    openConfSettings(dir).set('theme', 'dark');
    expect(openConfSettings(dir).get('theme')).toBe('dark');
  });

  it('backs up a corrupt file, reports it, and never wipes it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), '{"theme": "dark", oops');
    const store = openConfSettings(dir);
    expect(store.get('theme')).toBe('system');
    expect(store.warnings).toHaveLength(1);
    expect(store.warnings[0]).toMatch(/could not be read/);
    const backup = readdirSync(dir).find((f) => f.startsWith('settings.json.corrupt-'));
    expect(backup).toBeDefined();
    expect(readFileSync(join(dir, backup as string), 'utf8')).toBe('{"theme": "dark", oops');
  });

  it('resets only the keys with a wrong shape, and says which', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ theme: 'dark', idleMinutes: 'lots' }));
    const store = openConfSettings(dir);
    expect(store.get('theme')).toBe('dark');
    expect(store.get('idleMinutes')).toBe(DEFAULT_SETTINGS.idleMinutes);
    expect(store.warnings.join('\n')).toMatch(/"idleMinutes" had an invalid value \("lots"\)/);
  });
});
