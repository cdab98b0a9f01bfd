import { afterAll, describe, expect, it } from 'vitest';
import { noProxyCovers } from '../../src/main/core/machine/no-proxy';
import type { ProjectFacts } from '../../src/main/core/machine/types';
import { result, testCore } from './support';

const internal: ProjectFacts = { image: 'registry.corp.example:5000/team/analysis:2026.11.2', pinned: null, hostRequirements: {} };
const cores: ReturnType<typeof testCore>[] = [];
afterAll(() => Promise.all(cores.map((c) => c.close())));

async function proxyResult(env: NodeJS.ProcessEnv, project?: ProjectFacts) {
  const core = testCore({ env });
  cores.push(core);
  return result(await core.ops.run('op-proxy', (op) => core.machine.check(op, { project })), 'proxy');
}

describe('proxy settings', () => {
  it('matches NO_PROXY the way curl and Go do', () => {
    expect(noProxyCovers('corp.example', 'registry.corp.example:5000')).toBe(true);
    expect(noProxyCovers('.corp.example', 'registry.corp.example:5000')).toBe(true);
    expect(noProxyCovers('registry.corp.example:5000', 'registry.corp.example:5000')).toBe(true);
    expect(noProxyCovers('registry.corp.example:443', 'registry.corp.example:5000')).toBe(false);
    expect(noProxyCovers('10.0.0.0/8', '10.2.3.4:5000')).toBe(true);
    expect(noProxyCovers('notcorp.example', 'registry.corp.example')).toBe(false);
    expect(noProxyCovers('*', 'anything')).toBe(true);
    expect(noProxyCovers(undefined, 'anything')).toBe(false);
  });

  it('passes with no proxy', async () => {
    expect(await proxyResult({ PATH: process.env.PATH }, internal)).toMatchObject({ status: 'pass', value: 'no proxy' });
  });

  it('warns when the project’s registry would go through the proxy, and hides proxy passwords', async () => {
    const proxy = await proxyResult({ PATH: process.env.PATH, HTTPS_PROXY: 'http://ana:s3cret@proxy.corp.example:3128', NO_PROXY: 'localhost' }, internal);
    expect(proxy).toMatchObject({ status: 'warn', hint: expect.stringContaining('add it to NO_PROXY') });
    expect(proxy.value).toContain('HTTPS_PROXY=http://ana:***@proxy.corp.example:3128');
    expect(proxy.value).toContain('registry.corp.example:5000 goes through the proxy for this app');
    expect(proxy.value).not.toContain('s3cret');
  });

  it('passes when NO_PROXY covers the registry (lower-case variables count too)', async () => {
    const proxy = await proxyResult({ PATH: process.env.PATH, https_proxy: 'http://proxy:3128', no_proxy: '.corp.example' }, internal);
    expect(proxy).toMatchObject({ status: 'pass', value: expect.stringContaining('registry.corp.example:5000 bypasses the proxy') });
  });
});
