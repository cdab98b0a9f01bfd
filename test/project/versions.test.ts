import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from '../support/env';
import { makeProject, type FixtureProject } from '../support/fixture-project';
import { testCore } from './support';

/** Versions of the real analysis image (both versions built on this engine and pushed). */
const core = testCore();
const made: FixtureProject[] = [];
afterAll(async () => {
  await Promise.all(made.map((p) => p.cleanup()));
  await core.close();
});

describe('versions of the test analysis image', () => {
  it('marks the pinned one, the newer one and those present on the local engine', async () => {
    const env = testEnv();
    const [older, newest] = Object.keys(env.image.versions).sort();
    const p = await makeProject({ version: older });
    made.push(p);
    const list = await core.imageVersions.versions(p.dir);
    expect(list.repository).toBe(p.repository);
    expect(list.pinnedDigest).toBe(env.image.versions[older].digest);
    const byTag = Object.fromEntries(list.versions.map((v) => [v.tag, v]));
    expect(byTag[older]).toMatchObject({ digest: env.image.versions[older].digest, pinned: true, newer: false, local: true, version: older });
    expect(byTag[newest]).toMatchObject({ digest: env.image.versions[newest].digest, pinned: false, newer: true, local: true, version: newest });
    expect(byTag[newest].sizeBytes).toBeGreaterThan(1_000_000);
    expect(byTag[newest].created).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(list.versions[0].tag).toBe(newest);
  });

  it('pins the fixture project to the newest version, keeping everything else in the file', async () => {
    const env = testEnv();
    const p = await makeProject({ version: Object.keys(env.image.versions).sort()[0], pinned: false });
    made.push(p);
    const pin = await core.imageVersions.pin(p.dir);
    expect(pin).toMatchObject({ image: `${p.repository}@${env.image.versions[env.image.latest].digest}`, digest: env.image.versions[env.image.latest].digest, version: env.image.latest });
    expect((await core.projects.open(p.dir)).pinned).toEqual({ repository: p.repository, digest: pin.digest, version: env.image.latest });
  });
});
