import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { ownerLabels, type Owner } from '../identity/owner';
import { SCOPE_LABEL } from './lease-labels';
import { AGENT_LABEL, AGENT_VERSION_LABEL, agentName } from './records';
import { agentScript } from './agent-script';

/** Where the agent finds things, decided by the client that starts it. */
export interface AgentConfig {
  /** The engine's socket as the host sees it (bind-mounted into the agent). */
  socket: string;
  /** nvidia-smi's path on the host, run through the host's root when the container has none. */
  nvidiaSmi?: string;
  /** Test scope: the agent sees only records of this scope. */
  scope?: string;
  /** Seconds between passes (default 5). */
  tickSeconds?: number;
  /** Seconds a lease may wait for its session container (default 120). */
  setupGraceSeconds?: number;
}

const SCRIPT_DIR = '/opt/benchtop-agent';
/** A created-but-never-started agent older than this was abandoned by a client that died mid-start. */
const ABANDONED_MS = 60_000;

/** Whether the engine has the NVIDIA device driver (a request for it fails with 500 otherwise). */
const NO_DRIVER = /could not select device driver/i;

function agentSpec(image: string, config: AgentConfig, owner: Owner, version: number, gpus: boolean): Docker.ContainerCreateOptions {
  const env = [
    'BENCHTOP_DOCKER_SOCKET=/var/run/docker.sock',
    'BENCHTOP_HOST_ROOT=/host',
    `BENCHTOP_NVIDIA_SMI=${config.nvidiaSmi ?? ''}`,
    `BENCHTOP_AGENT_TICK_S=${config.tickSeconds ?? 5}`,
    `BENCHTOP_SETUP_GRACE_S=${config.setupGraceSeconds ?? 120}`,
    ...(config.scope ? [`BENCHTOP_AGENT_SCOPE=${config.scope}`] : []),
  ];
  return {
    name: agentName(config.scope),
    Image: image,
    User: '0:0',
    Entrypoint: ['python3', '-u', `${SCRIPT_DIR}/agent.py`],
    Cmd: [],
    Env: env,
    Labels: { [AGENT_LABEL]: '1', [AGENT_VERSION_LABEL]: String(version), ...ownerLabels(owner), ...(config.scope ? { [SCOPE_LABEL]: config.scope } : {}) },
    HostConfig: {
      // Sessions publish Jupyter on the host's 127.0.0.1: the agent asks them from there.
      NetworkMode: 'host',
      RestartPolicy: { Name: 'unless-stopped' },
      // The host's root, read-only: its nvidia-smi (run with chroot) and /proc (pids of GPU processes).
      Binds: [`${config.socket}:/var/run/docker.sock`, '/:/host:ro'],
      // With NVIDIA's runtime this mounts nvidia-smi and its libraries; the agent's request is not a lease.
      ...(gpus ? { DeviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu', 'utility']] }] } : {}),
      Memory: 128 * 2 ** 20,
    },
  };
}

function scriptArchive(text: string): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<Buffer>((resolve, reject) => {
    tar.on('end', () => resolve(Buffer.concat(chunks)));
    tar.on('error', reject);
  });
  // Unpacked at /opt, which every Debian image has (the archive's target folder must exist).
  tar.entry({ name: 'benchtop-agent/', type: 'directory', mode: 0o755 });
  tar.entry({ name: 'benchtop-agent/agent.py', mode: 0o644 }, text);
  tar.finalize();
  return done;
}

const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode;
const messageOf = (error: unknown) => `${(error as { json?: { message?: string } }).json?.message ?? ''} ${error instanceof Error ? error.message : String(error)}`;

/**
 * Makes sure the engine runs the current agent: starts it when missing or stopped, replaces an
 * older version, leaves a newer one (another teammate's newer app) alone. The container name is
 * the mutex: of two clients starting it at once, one gets 409 and leaves it to the other.
 * Returns what it did.
 */
export async function ensureAgent(d: Docker, image: string, config: AgentConfig, owner: Owner, now = Date.now()): Promise<'running' | 'started' | 'replaced'> {
  const script = agentScript();
  const name = agentName(config.scope);
  let replaced = false;
  try {
    const current = await d.getContainer(name).inspect();
    const version = Number(current.Config.Labels?.[AGENT_VERSION_LABEL]) || 0;
    const abandoned = current.State.Status === 'created' && now - Date.parse(current.Created) > ABANDONED_MS;
    if (version >= script.version && !abandoned) {
      if (current.State.Running || current.State.Status === 'created' || current.State.Restarting) return 'running';
      await d.getContainer(name).start().catch((error: unknown) => {
        if (statusOf(error) !== 304) throw error; // 304: someone started it meanwhile
      });
      return 'started';
    }
    await d.getContainer(name).remove({ force: true }).catch((error: unknown) => {
      if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error; // gone, or being removed by another client
    });
    replaced = true;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  // The NVIDIA runtime mounts nvidia-smi into the agent; an engine without it refuses the request
  // (at create or at start), and the agent then runs the host's own through /host.
  for (const gpus of [true, false]) {
    let container: Docker.Container;
    try {
      container = await d.createContainer(agentSpec(image, config, owner, script.version, gpus));
    } catch (error) {
      if (statusOf(error) === 409) return 'running';
      if (gpus && NO_DRIVER.test(messageOf(error))) continue;
      throw error;
    }
    try {
      await container.putArchive(await scriptArchive(script.text), { path: '/opt' });
      await container.start();
      break;
    } catch (error) {
      await container.remove({ force: true }).catch((e: unknown) => {
        if (statusOf(e) !== 404) throw e;
      });
      if (gpus && NO_DRIVER.test(messageOf(error))) continue;
      throw error;
    }
  }
  return replaced ? 'replaced' : 'started';
}
