import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCode, workspaceIn } from '../../src/main/core/editor/vscode';
import { attachedContainerUri, sshAuthority } from '../../src/main/core/editor/vscode-uri';

const unhex = (h: string): unknown => JSON.parse(Buffer.from(h, 'hex').toString('utf8'));

describe('VS Code attach URI', () => {
  it('a local container: attached-container+hex of {"containerName":"/name"} and the folder', () => {
    const uri = attachedContainerUri('benchtop-basic-1a2b', '/home/analyst/work');
    const m = /^vscode-remote:\/\/attached-container\+([0-9a-f]+)(\/.*)$/.exec(uri);
    expect(m).not.toBeNull();
    expect(unhex(m?.[1] ?? '')).toEqual({ containerName: '/benchtop-basic-1a2b' });
    expect(m?.[2]).toBe('/home/analyst/work');
    expect(uri).toBe('vscode-remote://attached-container+7b22636f6e7461696e65724e616d65223a222f62656e6368746f702d62617369632d31613262227d/home/analyst/work');
  });

  it('a container on an SSH host nests Remote-SSH\'s authority', () => {
    expect(attachedContainerUri('s1', '/w', { spec: 'gpu-box', user: 'ana', hostname: 'gpu-box.example.com', port: 22 }))
      .toMatch(/^vscode-remote:\/\/attached-container\+[0-9a-f]+@ssh-remote\+gpu-box\/w$/);
    expect(sshAuthority({ spec: 'ana@10.0.0.5', user: 'ana', hostname: '10.0.0.5', port: 22 })).toBe('ssh-remote+ana@10.0.0.5');
    const withPort = sshAuthority({ spec: 'ana@10.0.0.5:2222', user: 'ana', hostname: '10.0.0.5', port: 2222 });
    expect(unhex(withPort.replace('ssh-remote+', ''))).toEqual({ hostName: 'ana@10.0.0.5 -p 2222' });
  });

  it('escapes what a path could carry', () => {
    expect(attachedContainerUri('c', '/work/my notebooks')).toMatch(/\/work\/my%20notebooks$/);
  });

  it('finds the project folder among the container\'s mounts', () => {
    expect(workspaceIn({ Mounts: [{ Destination: '/opt/benchtop/project.lock' }, { Destination: '/home/analyst/work' }] })).toBe('/home/analyst/work');
    expect(workspaceIn({ Mounts: [], Config: { WorkingDir: '/srv' } })).toBe('/srv');
  });

  it('a missing `code` command is VSCODE_MISSING with the fix', async () => {
    const error = await runCode('vscode-remote://x', { ...process.env, BENCHTOP_VSCODE: '/nonexistent/code' }).then(() => null, (e: unknown) => e as { code: string; hint: string });
    expect(error?.code).toBe('VSCODE_MISSING');
    expect(error?.hint).toMatch(/Dev Containers/);
  });

  it('runs `code --folder-uri URI` without a shell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-code-'));
    const script = join(dir, 'code');
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > ${dir}/args\n`);
    chmodSync(script, 0o755);
    await runCode('vscode-remote://attached-container+00/w;touch x', { ...process.env, BENCHTOP_VSCODE: script });
    for (let i = 0; i < 100 && !readFileSafe(join(dir, 'args')); i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(readFileSafe(join(dir, 'args'))).toBe('--folder-uri\nvscode-remote://attached-container+00/w;touch x\n');
    rmSync(dir, { recursive: true, force: true });
  });
});

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
