import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { SshConfigHost } from './ssh-config';

/** The ssh(1) binary on PATH, or undefined where there is none (Windows without OpenSSH, slim images). */
export function findSsh(env: NodeJS.ProcessEnv): string | undefined {
  const names = process.platform === 'win32' ? ['ssh.exe'] : ['ssh'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this PATH entry; try the next
      }
    }
  }
  return undefined;
}

/**
 * Parses `ssh -G` output: one lowercase `keyword value` per line, every option after the full
 * evaluation of the config (Include, Match, Host, defaults). IdentityFile repeats; the rest appear once.
 */
export function parseSshG(output: string): SshConfigHost {
  const found: SshConfigHost = { identityFiles: [], matchedAlias: false };
  for (const line of output.split(/\r?\n/)) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const keyword = line.slice(0, space).toLowerCase();
    const value = line.slice(space + 1).trim();
    switch (keyword) {
      case 'hostname':
        found.hostname = value;
        break;
      case 'user':
        found.user = value;
        break;
      case 'port':
        if (/^\d+$/.test(value)) found.port = Number(value);
        break;
      case 'identityfile':
        found.identityFiles.push(value);
        break;
      case 'identityagent':
        found.identityAgent = value;
        break;
      case 'proxyjump':
        found.proxyJump = value;
        break;
      case 'proxycommand':
        found.proxyCommand = value;
        break;
      case 'userknownhostsfile':
        found.userKnownHostsFiles = value.split(/\s+/);
        break;
      case 'globalknownhostsfile':
        found.globalKnownHostsFiles = value.split(/\s+/);
        break;
      case 'stricthostkeychecking':
        found.strictHostKeyChecking = value.toLowerCase();
        break;
      default:
        break;
    }
  }
  return found;
}

export interface SshGQuery {
  alias: string;
  user?: string;
  port?: number;
  /** `-F file`: only that file is read (no /etc/ssh/ssh_config), as with `ssh -F`. */
  configFile?: string;
}

/** Runs `ssh -G` for one destination; it never connects, so it answers in milliseconds. */
export function runSshG(ssh: string, query: SshGQuery, env: NodeJS.ProcessEnv, timeoutMs = 5_000): Promise<SshConfigHost> {
  const args = ['-G'];
  // A missing user config is an empty one to ssh(1), but `-F missing` is an error: `-F none` reads nothing.
  if (query.configFile) args.push('-F', existsSync(query.configFile) ? query.configFile : 'none');
  if (query.user) args.push('-l', query.user);
  if (query.port) args.push('-p', String(query.port));
  // `--` so an alias can never be read as an option.
  args.push('--', query.alias);
  return new Promise((resolve, reject) => {
    execFile(ssh, args, { env, timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`\`ssh ${args.join(' ')}\` failed: ${String(stderr).trim() || error.message}`));
        return;
      }
      resolve(parseSshG(String(stdout)));
    });
  });
}
