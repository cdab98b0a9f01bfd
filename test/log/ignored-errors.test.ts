import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/core/log/logger';
import { readDockerConfig } from '../../src/main/core/registry/docker-config';

const scratch = mkdtempSync(join(tmpdir(), 'bt-test-ignored-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('errors that are handled by carrying on are logged', () => {
  it('a broken ~/.docker/config.json gives no logins, and says so in the log (with no secret from it)', async () => {
    const dir = join(scratch, 'docker');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), '{"auths":{"127.0.0.1:5001":{"auth":"YW5hOmh1bnRlcjI="}},');
    const lines: string[] = [];
    const log = createLogger([{ level: 'debug', write: (l) => lines.push(l) }]).child('registry');
    expect(await readDockerConfig({ DOCKER_CONFIG: dir }, log)).toEqual({ auths: {}, credHelpers: {} });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`WARN  [${process.pid}] registry: ${join(dir, 'config.json')} is not valid JSON; its registry logins are not used`);
    expect(lines[0]).not.toContain('YW5hOmh1bnRlcjI=');
  });

  it('a missing one is the usual case and logs nothing', async () => {
    const lines: string[] = [];
    const log = createLogger([{ level: 'debug', write: (l) => lines.push(l) }]);
    expect(await readDockerConfig({ DOCKER_CONFIG: join(scratch, 'none') }, log)).toEqual({ auths: {}, credHelpers: {} });
    expect(lines).toEqual([]);
  });
});
