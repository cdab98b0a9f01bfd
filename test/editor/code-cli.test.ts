/**
 * `benchtop code` against a real session on the real engine: the URI names the real container and
 * the project's folder inside it, and is handed to the `code` command (a stand-in script here, since
 * VS Code is a desktop app; BENCHTOP_VSCODE names it as it would code-insiders).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import type { SessionInfo } from '../../src/shared/contract/sessions';
import { runCli } from '../support/cli';
import { docker, makeCore, makeProject, opId, removeProjectContainers, type TestProject } from '../session/support';

describe('benchtop code', () => {
  let core: Core;
  let project: TestProject;
  let session: SessionInfo;
  let bin: string;

  beforeAll(async () => {
    project = makeProject();
    core = makeCore();
    session = await core.sessions.up(core.ops.create(opId()), project.dir, 'local');
    bin = mkdtempSync(join(tmpdir(), 'bt-code-bin-'));
    writeFileSync(join(bin, 'code'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${bin}/args\n`);
    chmodSync(join(bin, 'code'), 0o755);
  }, 180_000);

  afterAll(async () => {
    await removeProjectContainers(project);
    await core.close();
    rmSync(project.dir, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  });

  it('attaches VS Code to the session container at the project folder', async () => {
    const run = await runCli('source', ['code', session.id], { env: { BENCHTOP_HOME: dirname(core.settings.path), BENCHTOP_VSCODE: join(bin, 'code'), BENCHTOP_FORWARDER: 'off' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const uri = run.stdout.trim();
    const m = /^vscode-remote:\/\/attached-container\+([0-9a-f]+)(\/.*)$/.exec(uri);
    expect(JSON.parse(Buffer.from(m?.[1] ?? '', 'hex').toString())).toEqual({ containerName: `/${session.name}` });
    // The folder is where the project's notebooks are mounted in that container.
    const mounts = (await docker.getContainer(session.name).inspect()).Mounts.map((x) => x.Destination);
    expect(mounts).toContain(m?.[2]);
    for (let i = 0; i < 200 && !existsText(join(bin, 'args')); i += 1) await new Promise((r) => setTimeout(r, 25));
    expect(readFileSync(join(bin, 'args'), 'utf8')).toBe(`--folder-uri\n${uri}\n`);
  }, 120_000);

  it('without VS Code: VSCODE_MISSING and how to fix it', async () => {
    const run = await runCli('source', ['code', session.id], { env: { BENCHTOP_HOME: dirname(core.settings.path), BENCHTOP_VSCODE: '/nonexistent/code', BENCHTOP_FORWARDER: 'off' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('VSCODE_MISSING');
    expect(run.stderr).toContain('Dev Containers');
  });
});

function existsText(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').length > 0;
  } catch {
    return false;
  }
}
