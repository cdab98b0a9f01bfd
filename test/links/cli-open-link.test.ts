/**
 * `benchtop open-link` as a user runs it, against the loopback git server, the real engine and
 * registry: without a terminal it will not act unasked; with --yes it clones and starts Jupyter.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { publishRepo, type PublishedRepo } from '../support/git-server';
import { makeProject, removeProjectContainers, type TestProject } from '../session/support';

describe('benchtop open-link', () => {
  let project: TestProject;
  let repo: PublishedRepo;
  let home: string;
  let parent: string;
  const env = (): NodeJS.ProcessEnv => ({ BENCHTOP_HOME: home, BENCHTOP_PROJECTS_DIR: parent, BENCHTOP_FORWARDER: 'off' });

  beforeAll(() => {
    project = makeProject();
    repo = publishRepo(project.dir);
    home = mkdtempSync(join(tmpdir(), 'bt-link-cli-home-'));
    parent = mkdtempSync(join(tmpdir(), 'bt-link-cli-parent-'));
  });

  afterAll(async () => {
    await removeProjectContainers({ ...project, dir: join(parent, 'cloned') });
    repo.remove();
    for (const dir of [project.dir, home, parent]) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a hostile link with LINK_INVALID and exit 2', async () => {
    const run = await runCli('source', ['open-link', 'benchtop://open?repo=file:///etc', '--yes'], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('LINK_INVALID');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('shows the plan and does nothing without --yes when it cannot ask', async () => {
    const run = await runCli('source', ['open-link', `benchtop://open?repo=${repo.url}`], { env: env() });
    expect(run.code).toBe(64);
    expect(run.stderr).toContain(`commit       ${repo.commit}`);
    expect(run.stderr).toContain('--yes');
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(join(home, 'link-staging')) ? readdirSync(join(home, 'link-staging')) : []).toEqual([]);
  });

  it('with --yes: clones into --dir, starts the session and prints a live notebook URL', async () => {
    const dir = join(parent, 'cloned');
    const run = await runCli('source', ['open-link', `benchtop://open?repo=${repo.url}&ref=main`, '--dir', dir, '--yes', '--no-open'], { env: env() });
    expect(run.stderr).toContain(`Cloned into ${dir}.`);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, '.devcontainer', 'devcontainer.json'))).toBe(true);
    const url = new URL(run.stdout.trim());
    const status = await fetch(`${url.origin}/api/status`, { headers: { authorization: `token ${url.searchParams.get('token') ?? ''}` } });
    expect(status.status).toBe(200);
  }, 300_000);
});
