import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** .test-env/cloud-vm.json, written by scripts/test-env/cloud-vm.sh. */
export interface CloudVmEnv {
  namespace: string;
  addressPrefix: string;
  firstHost: number;
  lastHost: number;
  /** The account the ssh-keys metadata logs in as (settings cloud.sshUser in tests). */
  user: string;
  dockerSocket: string;
  /** PATH of SSH sessions on the VM (the nvidia-smi stand-in first). */
  path: string;
  stateDir: string;
}

export function cloudVmEnv(): CloudVmEnv {
  const path = join(import.meta.dirname, '..', '..', '.test-env', 'cloud-vm.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as CloudVmEnv;
  } catch (error) {
    throw new Error(`${path} is missing (${(error as Error).message}); run: sudo scripts/test-env/cloud-vm.sh`);
  }
}

const run = promisify(execFile);

/** Stops the containers Benchtop started for the VM (labelled with it as their target) on the shared engine. */
async function stopVmContainers(env: CloudVmEnv, vmName: string): Promise<void> {
  const { default: Docker } = await import('dockerode');
  const docker = new Docker({ socketPath: env.dockerSocket });
  for (const c of await docker.listContainers({ filters: { label: [`dev.benchtop.target=${vmName}`] } })) {
    await docker.getContainer(c.Id).stop({ t: 2 }).catch((e: unknown) => console.warn(`stopping ${c.Id} with its VM: ${String(e)}`));
  }
}

/**
 * Removes a test project's session containers and volumes from the stand-in VMs' engine directly:
 * a VM that stopped itself can no longer be reached through Benchtop to clean up.
 */
export async function removeFromVmEngine(env: CloudVmEnv, projectDir: string): Promise<void> {
  const { default: Docker } = await import('dockerode');
  const docker = new Docker({ socketPath: env.dockerSocket });
  const filters = { label: [`dev.benchtop.project=${projectDir}`] };
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(c.Id).remove({ force: true }).catch((e: unknown) => console.warn(`cleanup ${c.Id}: ${String(e)}`));
  }
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
    await docker.getVolume(v.Name).remove().catch((e: unknown) => console.warn(`cleanup ${v.Name}: ${String(e)}`));
  }
}

/** One running stand-in VM: a real sshd of its own (own address, own host key) in the test host's namespace. */
export interface RunningVm {
  address: string;
  hostKey: { keyType: string; keyBase64: string };
  stop(): Promise<void>;
}

function listening(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port: 22, timeout: 500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

// The whole process group: a startup script exits at once, leaving the loop it started (nohup … &) in its group.
const kill = (child: ChildProcess | undefined) => {
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
};

/**
 * Boots a stand-in VM in `dir` (which keeps its host key across stop/start, as a disk does): sshd on
 * a free address of the range, the ssh-keys metadata lines for the account as its authorized keys,
 * and the instance's startup-script run as GCE runs it (as root at boot), with a `shutdown` that
 * tells `onShutdown` the guest powered itself off.
 */
export async function bootVm(env: CloudVmEnv, name: string, dir: string, sshKeys: string, startupScript: string | undefined, onShutdown: () => void): Promise<RunningVm> {
  await mkdir(join(dir, 'bin'), { recursive: true });
  const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
  if (!existsSync(hostKeyPath)) await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bt-cloud-vm', '-f', hostKeyPath]);
  const [keyType, keyBase64] = (await readFile(`${hostKeyPath}.pub`, 'utf8')).trim().split(/\s+/);
  const authorized = sshKeys.split('\n').filter((l) => l.startsWith(`${env.user}:`)).map((l) => l.slice(env.user.length + 1)).join('\n');
  await writeFile(join(dir, 'authorized_keys'), `${authorized}\n`, { mode: 0o644 });
  await chmod(dir, 0o755);
  const nsenter = ['--net=/run/netns/' + env.namespace];
  let sshd: ChildProcess | undefined;
  let address = '';
  for (let tries = 0; tries < 20 && !sshd; tries += 1) {
    const host = env.firstHost + Math.floor(Math.random() * (env.lastHost - env.firstHost + 1));
    address = `${env.addressPrefix}${host}`;
    if (await listening(address)) continue; // another test's VM has it
    const config = join(dir, 'sshd_config');
    await writeFile(config, [
      `ListenAddress ${address}:22`, `HostKey ${hostKeyPath}`, `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'StrictModes no', 'UsePAM no', 'PubkeyAuthentication yes',
      'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin no', `AllowUsers ${env.user}`,
      'AllowTcpForwarding yes', 'AllowStreamLocalForwarding yes', `SetEnv DOCKER_HOST=unix://${env.dockerSocket} PATH=${env.path}`,
      'MaxStartups 100:30:200', 'MaxSessions 100', '',
    ].join('\n'));
    const child = spawn('nsenter', [...nsenter, '/usr/sbin/sshd', '-D', '-e', '-f', config], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null && !(await listening(address))) await new Promise((r) => setTimeout(r, 100));
    if (child.exitCode === null && (await listening(address))) sshd = child;
    else {
      kill(child);
      if (!/Address already in use|Cannot bind/i.test(log)) throw new Error(`sshd for the test VM did not start: ${log}`);
    }
  }
  if (!sshd) throw new Error('no free address for a test VM in the range');
  let script: ChildProcess | undefined;
  if (startupScript) {
    await writeFile(join(dir, 'startup-script'), startupScript, { mode: 0o755 });
    // The guest's own power-off: GCE then shows the instance TERMINATED.
    await writeFile(join(dir, 'bin', 'shutdown'), `#!/bin/sh\necho "$@" > '${join(dir, 'shutdown-requested')}'\n`, { mode: 0o755 });
    script = spawn('nsenter', [...nsenter, 'bash', join(dir, 'startup-script')], {
      detached: true, stdio: 'ignore',
      env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`, BENCHTOP_VM_ROOT: dir },
    });
  }
  const poll = setInterval(() => {
    if (existsSync(join(dir, 'shutdown-requested'))) {
      clearInterval(poll);
      onShutdown();
    }
  }, 200);
  return {
    address,
    hostKey: { keyType, keyBase64 },
    stop: async () => {
      clearInterval(poll);
      kill(sshd);
      kill(script);
      // A powered-off VM runs nothing: its sessions on the shared engine stop with it.
      await stopVmContainers(env, name);
      // The autostop loop was started in the script's process group (nohup … &): gone with it.
      await run('rm', ['-f', join(dir, 'shutdown-requested'), join(dir, 'sshd.pid')]);
    },
  };
}
