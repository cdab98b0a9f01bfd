/**
 * A benchtop:// open link end to end against real services: a project published on the loopback git
 * server (scripts/test-env/git-server.sh), cloned with the system git, then started on the real
 * engine from the real registry; Jupyter answers. A refused consent and hostile links leave nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import type { Core } from '../../src/main/core/core';
import type { Handlers } from '../../src/main/core/api/types';
import { publishRepo, type PublishedRepo } from '../support/git-server';
import { env, makeCore, makeProject, opId, pinnedRef, record, removeProjectContainers, type TestProject } from '../session/support';

const FINGERPRINT = `SHA256:${'A'.repeat(43)}`;

describe('benchtop://open links', () => {
  let core: Core;
  let api: Handlers;
  let project: TestProject;
  let repo: PublishedRepo;
  let parent: string;
  const stagingRoot = (): string => join(core.settings.path, '..', 'link-staging');
  const staged = (): string[] => (existsSync(stagingRoot()) ? readdirSync(stagingRoot()) : []);

  beforeAll(() => {
    project = makeProject();
    // The project's team file: one host, listed with its key fingerprint; nothing answers on port 9.
    mkdirSync(join(project.dir, '.benchtop'));
    writeFileSync(join(project.dir, '.benchtop', 'team.json'), JSON.stringify({ name: 'Test team', registry: '127.0.0.1:5000', hosts: [{ id: 'team-box', address: 'nobody@127.0.0.1:9', fingerprints: [FINGERPRINT] }] }));
    repo = publishRepo(project.dir);
    parent = mkdtempSync(join(tmpdir(), 'bt-link-parent-'));
    core = makeCore();
    api = createHandlers(core);
  });

  afterAll(async () => {
    await removeProjectContainers({ ...project, dir: join(parent, repo.name) });
    await core.close();
    repo.remove();
    rmSync(project.dir, { recursive: true, force: true });
    rmSync(parent, { recursive: true, force: true });
  });

  it('refuses hostile links before anything runs, naming what was wrong', async () => {
    for (const link of [
      `benchtop://open?repo=file://${project.dir}`,
      'benchtop://open?repo=ext::sh -c "touch /tmp/bt-pwned"',
      `benchtop://open?repo=${repo.url}&ref=--upload-pack=touch%20/tmp/bt-pwned`,
      `benchtop://open?repo=${repo.url}&name=../../escape`,
      `benchtop://open?repo=${repo.url}%0a`,
    ]) {
      const error = await Promise.resolve(api.linkPlan({ opId: opId(), url: link, parentDir: parent })).then(() => null, (e: unknown) => e as { code: string; message: string });
      expect(error?.code, link).toBe('LINK_INVALID');
    }
    expect(existsSync('/tmp/bt-pwned')).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
    expect(staged()).toEqual([]);
  });

  it('a refused consent changes nothing on disk', async () => {
    const plan = await api.linkPlan({ opId: opId(), url: `benchtop://open?repo=${encodeURIComponent(repo.url)}&ref=main`, parentDir: parent });
    expect(plan.targetDir).toBe(join(parent, repo.name));
    expect(await api.linkCancel({ planId: plan.planId })).toEqual({ cancelled: true });
    expect(readdirSync(parent)).toEqual([]);
    expect(staged()).toEqual([]);
    const again = await Promise.resolve(api.linkConfirm({ opId: opId(), planId: plan.planId })).then(() => null, (e: unknown) => e as { code: string });
    expect(again?.code).toBe('LINK_PLAN_EXPIRED');
  });

  it('never clones over a folder that has files; the plan waits for another folder', async () => {
    const busy = join(parent, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'mine.txt'), 'keep');
    const plan = await api.linkPlan({ opId: opId(), url: `benchtop://open?repo=${repo.url}`, parentDir: parent });
    const error = await Promise.resolve(api.linkConfirm({ opId: opId(), planId: plan.planId, dir: busy })).then(() => null, (e: unknown) => e as { code: string });
    expect(error?.code).toBe('LINK_TARGET_NOT_EMPTY');
    expect(readdirSync(busy)).toEqual(['mine.txt']);
    await api.linkCancel({ planId: plan.planId });
    rmSync(busy, { recursive: true });
  });

  it('a registry that asks for a login this install lacks is said in the plan, before consent', async () => {
    const e = env();
    const locked = makeProject({ image: `${e.authRegistry.address}/${e.image.repository}@${e.image.versions[e.image.latest]?.digest}` });
    const lockedRepo = publishRepo(locked.dir);
    try {
      const plan = await api.linkPlan({ opId: opId(), url: `benchtop://open?repo=${lockedRepo.url}`, parentDir: parent });
      expect(plan.warnings.join('\n')).toMatch(/Add a registry login in Settings/);
      await api.linkCancel({ planId: plan.planId });
    } finally {
      lockedRepo.remove();
      rmSync(locked.dir, { recursive: true, force: true });
    }
  });

  it('link → plan (what will happen) → confirm → clone → up → Jupyter answers', async () => {
    const opened = record(core, 'linkOpened');
    const link = `benchtop://open?repo=${encodeURIComponent(repo.url)}&ref=main`;
    await api.linkOpen({ url: link });
    expect(opened).toEqual([{ url: link }]);
    expect(await api.linkPending()).toEqual({ urls: [link] });
    expect(await api.linkPending()).toEqual({ urls: [] });

    const plan = await api.linkPlan({ opId: opId(), url: link, parentDir: parent });
    expect(plan).toMatchObject({
      repo: repo.url, ref: 'main', commit: repo.commit, targetDir: join(parent, repo.name), projectName: project.name,
      image: pinnedRef(), digest: pinnedRef().split('@')[1], registry: '127.0.0.1:5000', teamName: 'Test team',
      hosts: [{ id: 'team-box', address: 'nobody@127.0.0.1:9', fingerprints: [FINGERPRINT] }],
    });
    expect(plan.steps.join('\n')).toContain(`trusting only key ${FINGERPRINT}`);
    // The registry answered before consent: how much the pull may download, and nothing to warn about.
    expect(plan.imageSizeBytes).toBeGreaterThan(0);
    expect(plan.warnings).toEqual([]);
    // Before consent: nothing in the chosen folder.
    expect(readdirSync(parent)).toEqual([]);

    const done = await api.linkConfirm({ opId: opId(), planId: plan.planId });
    expect(done.dir).toBe(join(parent, repo.name));
    expect(readdirSync(done.dir as string).sort()).toEqual(['.benchtop', '.devcontainer', '.git', 'environment.lock', 'notebooks']);
    // The team host could not be reached: reported, not trusted, and the start goes on.
    expect(done.hosts).toEqual([expect.objectContaining({ id: 'team-box', status: 'failed' })]);
    expect(core.settings.get('hosts').some((h) => h.id === 'team-box')).toBe(false);
    expect(staged()).toEqual([]);

    const session = await api.sessionUp({ opId: opId(), dir: done.dir as string, target: 'local' });
    expect(session.state).toBe('ready');
    const status = await fetch(new URL('/api/status', session.url).href, { headers: { authorization: `token ${new URL(session.url as string).searchParams.get('token')}` } });
    expect(status.status).toBe(200);
    expect(await status.json()).toHaveProperty('started');
  }, 300_000);
});
