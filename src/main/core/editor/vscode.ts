import { spawn } from 'node:child_process';
import type { SessionInfo } from '../../../shared/contract/sessions';
import { BenchtopError, systemCode } from '../errors';
import { attachedContainerUri, type SshLocation } from './vscode-uri';

/** Where the project's files are inside a session container (the notebooks/workspace mount). */
export function workspaceIn(inspect: { Mounts?: { Destination?: string; Type?: string }[]; Config?: { WorkingDir?: string } }): string {
  const mounts = (inspect.Mounts ?? []).map((m) => m.Destination ?? '').filter(Boolean);
  return mounts.find((d) => /\/work(space)?s?$/.test(d)) ?? (inspect.Config?.WorkingDir || mounts[0] || '/');
}

export interface VsCodeDeps {
  /** The session container's inspect (Mounts, Config) on its target. */
  inspect(session: SessionInfo): Promise<{ Mounts?: { Destination?: string }[]; Config?: { WorkingDir?: string } }>;
  /** The SSH host a target is (undefined for this computer's engine). */
  host(target: string): SshLocation | undefined;
  env: NodeJS.ProcessEnv;
}

/** Runs `code --folder-uri URI` (no shell on Linux and macOS); a missing `code` is VSCODE_MISSING with the fix. */
export function runCode(uri: string, env: NodeJS.ProcessEnv): Promise<void> {
  const command = env.BENCHTOP_VSCODE || 'code';
  return new Promise((resolve, reject) => {
    // code.cmd on Windows is a batch file, which Node starts only through the shell; the URI holds
    // only hex, letters, digits, / and %-escapes, so nothing in it is special to cmd.exe.
    const child = spawn(command, ['--folder-uri', uri], { env, stdio: 'ignore', detached: true, shell: process.platform === 'win32' });
    child.once('error', (error) => {
      if (systemCode(error) === 'ENOENT') {
        reject(new BenchtopError('VSCODE_MISSING', `VS Code's \`${command}\` command is not on PATH.`,
          'Install VS Code with the Dev Containers extension (and Remote - SSH for host sessions); on macOS run "Shell Command: Install \'code\' command in PATH" from its command palette.'));
      } else reject(new BenchtopError('INTERNAL', `Could not start ${command}: ${error.message}`));
    });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

/** The URI that attaches VS Code to a session, and opening it. */
export async function vscodeUriFor(session: SessionInfo, deps: VsCodeDeps): Promise<string> {
  if (!session.mine) throw new BenchtopError('NOT_OWNER', `${session.name} belongs to ${session.owner?.name ?? 'someone else'}.`, 'Only the owner of a session can attach an editor to it.');
  if (session.state !== 'ready') throw new BenchtopError('SESSION_NOT_FOUND', `${session.name} is ${session.state}, not running.`, 'Start it first (benchtop up), then open it in VS Code.');
  const folder = workspaceIn(await deps.inspect(session));
  return attachedContainerUri(session.name, folder, session.target === 'local' ? undefined : deps.host(session.target));
}
