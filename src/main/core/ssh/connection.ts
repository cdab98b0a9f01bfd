import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import type { AgentAuthMethod, Client, ClientChannel, ConnectConfig, PublicKeyAuthMethod, ServerHostKeyAlgorithm } from 'ssh2';
import { BenchtopError, systemCode } from '../errors';
import type { Logger } from '../log/logger';
import { withTimeout } from '../timeout';
import { fingerprintOf, keyTypeOf, knownKeyTypes, readKnownHostsFiles, verifyHostKey, type HostKeyVerdict } from './known-hosts';
import { proxyCommandStream } from './proxy-command';

/** Everything needed to reach one SSH host; the hosts service builds it from settings and ~/.ssh/config. */
export interface SshTarget {
  /** The host id, used in messages. */
  label: string;
  hostname: string;
  port: number;
  user: string;
  /** Private keys to offer, in order (the first readable ones are used). */
  identityFiles: string[];
  /** Where keys come from when identityFiles is empty (~/.ssh/config, default names); read on connect. */
  resolveIdentities?: () => Promise<string[]>;
  /** SSH_AUTH_SOCK; the agent is offered after the key files. */
  agentSocket?: string;
  /** Where trust is written (the first UserKnownHostsFile); always read. */
  knownHostsPath: string;
  /** Other known_hosts files read, never written: further UserKnownHostsFiles, /etc/ssh/ssh_known_hosts. */
  extraKnownHostsPaths?: string[];
  /** ProxyJump: the previous hop. This host is reached through a channel that hop opens, and both keys are checked. */
  jump?: SshTarget;
  /** ProxyCommand, tokens expanded: this host is reached through the command's stdin/stdout. */
  proxyCommand?: string;
  /** The environment the ProxyCommand runs with (the core's; default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The Benchtop host id this hop serves (the hint to trust a jump host's key names it). */
  hostId?: string;
  /** Where connects, drops and ignored errors are logged (the hosts service's logger). */
  log?: Logger;
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
}

/** A hop whose key was refused on the last attempt (the host itself or one of its jump hosts). */
export interface RefusedKey {
  target: SshTarget;
  key: PresentedKey;
}

/** The key a host presented during the last handshake, for the trust prompt. */
export interface PresentedKey {
  blob: Buffer;
  keyType: string;
  fingerprint: string;
  verdict: HostKeyVerdict;
}

/** What a command run over SSH produced (the shape the GPU inventory's nvidia-smi parser takes). */
export interface ExecOutput {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** Host key algorithms ssh2 speaks; a known_hosts type outside this list cannot be asked for. */
const SUPPORTED_HOST_KEYS = new Set(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);

/** OpenSSH names one RSA key type; the signature algorithms that use it are these. */
function hostKeyAlgorithms(types: string[]): ServerHostKeyAlgorithm[] {
  return types
    .flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]))
    .filter((t) => SUPPORTED_HOST_KEYS.has(t)) as ServerHostKeyAlgorithm[];
}

let ssh2: Promise<typeof import('ssh2')> | undefined;

/** ssh2, loaded when the first connection is opened (a CLI command without hosts never pays for it). */
function loadSsh2(): Promise<typeof import('ssh2')> {
  ssh2 ??= import('ssh2');
  return ssh2;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE']);

/**
 * One long-lived SSH connection to one host. Every Docker API request, port forward and command for
 * that host rides on it as a channel, so a host costs one TCP connection and one handshake, and its
 * host key is checked against known_hosts on every (re)connect. A dropped connection (keepalive
 * failure, host reboot) is noticed and the next use connects again.
 */
export class SshConnection {
  /** Replaced by `refresh` on every (re)connect, as each `ssh` run reads the config afresh. */
  target: SshTarget;
  readonly #refresh: (() => Promise<SshTarget>) | undefined;
  /** The previous hop's connection while this one is reached through a jump host. */
  #jump: SshConnection | undefined;
  #client: Promise<Client> | undefined;
  #presented: PresentedKey | undefined;
  #closed = false;
  /** The keys actually offered on the last attempt (readable files, the agent), for the auth error. */
  #offered: string[] = [];
  /** How many times a TCP connection + handshake was made; the host summary shows it. */
  connects = 0;

  constructor(target: SshTarget, refresh?: () => Promise<SshTarget>) {
    this.target = target;
    this.#refresh = refresh;
  }

  /** The key of the last handshake (also set when the handshake was refused over that key). */
  get presentedKey(): PresentedKey | undefined {
    return this.#presented;
  }

  /** The hop whose host key stopped the last attempt: a jump host first, then this host. */
  get refusedKey(): RefusedKey | undefined {
    const viaJump = this.#jump?.refusedKey;
    if (viaJump) return viaJump;
    const key = this.#presented;
    return key && key.verdict.state !== 'trusted' ? { target: this.target, key } : undefined;
  }

  /** The connected client, connecting first when there is none (or the last one dropped). */
  client(): Promise<Client> {
    if (this.#closed) {
      return Promise.reject(new BenchtopError('HOST_UNREACHABLE', `The connection to ${this.target.label} was closed.`, 'Test the host again.'));
    }
    if (!this.#client) {
      const pending = this.#connect();
      this.#client = pending;
      pending.catch(() => {
        if (this.#client === pending) this.#client = undefined;
      });
    }
    return this.#client;
  }

  /** A channel to a Unix socket on the host (the Docker socket), like `ssh -L local:/remote.sock`. */
  async openStreamLocal(socketPath: string): Promise<Duplex> {
    const client = await this.client();
    return this.#channel(socketPath, (cb) => client.openssh_forwardOutStreamLocal(socketPath, cb), (reason) =>
      // sshd says only "open failed": the socket is missing, not this user's to use, or forwarding is off.
      new BenchtopError('ENGINE_UNREACHABLE', `No engine socket ${this.target.user} may use at ${socketPath} on ${this.target.label} (sshd: ${reason}).`,
        `Check on the host that the engine runs there and that ${this.target.user} may use its socket (the docker group); if it listens elsewhere, add the host with --docker-socket PATH. sshd must allow AllowStreamLocalForwarding.`));
  }

  /** A channel to host:port as seen from the SSH host (127.0.0.1 there is the host's own loopback). */
  async openTcp(host: string, port: number): Promise<Duplex> {
    const client = await this.client();
    return this.#channel(`${host}:${port}`, (cb) => client.forwardOut('127.0.0.1', 0, host, port, cb), (reason) =>
      new BenchtopError('HOST_UNREACHABLE', `${this.target.label} could not connect to ${host}:${port} for a port forward (sshd: ${reason}).`,
        'Check that the session is still running there, and that sshd allows AllowTcpForwarding.'));
  }

  /** A channel to the next hop's sshd, opened on this (jump host's) connection. */
  async #openHop(next: SshTarget): Promise<Duplex> {
    const client = await this.client();
    return this.#channel(`${next.hostname}:${next.port}`, (cb) => client.forwardOut('127.0.0.1', 0, next.hostname, next.port, cb), (reason) =>
      new BenchtopError('HOST_UNREACHABLE', `The jump host ${this.target.label} could not reach ${next.label} at ${next.hostname}:${next.port} (sshd: ${reason}).`,
        `Check that ${next.hostname}:${next.port} is the right address as seen from the jump host, and that its sshd allows TCP forwarding (AllowTcpForwarding, PermitOpen).`));
  }

  /** Runs a command through the host's login shell and collects its output; `stdin`, when given, is its whole input. */
  async exec(command: string, timeoutMs = 30_000, stdin?: string | Buffer): Promise<ExecOutput> {
    const client = await this.client();
    const run = new Promise<ExecOutput>((resolve, reject) => {
      client.exec(command, (error, channel) => {
        if (error) {
          reject(new BenchtopError('HOST_UNREACHABLE', `${this.target.label} refused to run a command: ${error.message}`, 'Check that the account may run commands (no forced command in authorized_keys).'));
          return;
        }
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let exitCode: number | null = null;
        channel.on('data', (chunk: Buffer) => out.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
        channel.on('exit', (code: number | null) => {
          exitCode = typeof code === 'number' ? code : null;
        });
        channel.on('close', () => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode }));
        if (stdin !== undefined) channel.end(stdin);
      });
    });
    return withTimeout(run, timeoutMs, () =>
      new BenchtopError('TIMEOUT', `\`${command}\` on ${this.target.label} did not finish within ${Math.round(timeoutMs / 1000)} s.`, 'The host may be overloaded; try again.'));
  }

  close(): void {
    this.#closed = true;
    const pending = this.#client;
    this.#client = undefined;
    // A failed connect was already reported to its caller; closing has nothing more to say about it.
    void pending?.then((c) => c.end(), () => undefined);
    this.#jump?.close();
  }

  #channel(what: string, open: (cb: (error: Error | undefined, channel: ClientChannel) => void) => void, refused: (reason: string) => BenchtopError): Promise<Duplex> {
    const opened = new Promise<Duplex>((resolve, reject) => {
      open((error, channel) => {
        if (error) {
          reject(refused(error.message.replace(/^\(SSH\) /, '')));
        } else {
          resolve(channel);
        }
      });
    });
    return withTimeout(opened, this.target.connectTimeoutMs ?? 10_000, () =>
      new BenchtopError('HOST_UNREACHABLE', `${this.target.label} did not open a channel to ${what} in time.`, 'The SSH connection may have stalled; test the host again.'));
  }

  async #connect(): Promise<Client> {
    this.#presented = undefined;
    if (this.#refresh) this.target = await this.#refresh();
    const t = this.target;
    const known = await readKnownHostsFiles([t.knownHostsPath, ...(t.extraKnownHostsPaths ?? [])]);
    const auth = await this.#authMethods();
    const { Client } = await loadSsh2();
    const sock = await this.#hopStream(t);
    const client = new Client();
    const ready = new Promise<Client>((resolve, reject) => {
      client.once('ready', () => resolve(client));
      client.once('error', (error) => reject(this.#connectError(error)));
      // A connection that ends before 'ready' (e.g. the server closes after the banner) must fail too.
      client.once('close', () => reject(new BenchtopError('HOST_UNREACHABLE', `${t.label} (${t.hostname}:${t.port}) closed the connection during the handshake.`, 'Check that an SSH server runs there.')));
    });
    const preferred = hostKeyAlgorithms(knownKeyTypes(known, t.hostname, t.port));
    const config: ConnectConfig = {
      host: t.hostname,
      port: t.port,
      ...(sock ? { sock } : {}),
      username: t.user,
      readyTimeout: t.connectTimeoutMs ?? 10_000,
      keepaliveInterval: t.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 3,
      authHandler: auth,
      hostVerifier: (key: Buffer) => {
        const verdict = verifyHostKey(known, t.hostname, t.port, key);
        this.#presented = { blob: Buffer.from(key), keyType: keyTypeOf(key), fingerprint: fingerprintOf(key), verdict };
        return verdict.state === 'trusted';
      },
    };
    if (preferred.length) {
      // Like OpenSSH, ask first for the key types known_hosts has for this host, so a host with
      // several keys presents the one on file. ssh2's `prepend` skips entries already in its list,
      // so they are removed first (keys are applied in this order).
      config.algorithms = { serverHostKey: { remove: preferred, prepend: preferred, append: [] } };
    }
    this.connects += 1;
    client.connect(config);
    const connected = await ready;
    // Requests are small and latency-bound (Docker API, Jupyter's UI); Nagle's delay would add ~40 ms
    // to each, as OpenSSH knows (it sets TCP_NODELAY for forwarding too).
    connected.setNoDelay(true);
    const how = t.jump ? ` through ${t.jump.label}` : t.proxyCommand ? ' through its ProxyCommand' : '';
    t.log?.info(`connected to ${t.label} (${t.user}@${t.hostname}:${t.port})${how}`);
    // From now on a drop only means "reconnect on next use"; errors after ready must not go unhandled.
    connected.on('error', (error) => t.log?.info(`the connection to ${t.label} failed; the next use reconnects`, { error: error.message }));
    connected.once('close', () => {
      if (this.#client && !this.#closed) this.#client = undefined;
      if (!this.#closed) t.log?.info(`the connection to ${t.label} closed`);
    });
    return connected;
  }

  /**
   * How bytes reach this host when not over a direct TCP connection: a channel opened by the jump
   * host's own connection (whose key is checked on its own handshake), or a ProxyCommand's pipes.
   */
  async #hopStream(t: SshTarget): Promise<Duplex | undefined> {
    this.#jump?.close();
    this.#jump = undefined;
    if (t.jump) {
      const jump = new SshConnection({ ...t.jump, connectTimeoutMs: t.jump.connectTimeoutMs ?? t.connectTimeoutMs, log: t.jump.log ?? t.log });
      this.#jump = jump;
      return jump.#openHop(t);
    }
    if (t.proxyCommand) {
      const { stream } = proxyCommandStream(t.proxyCommand, t.env ?? process.env);
      return stream;
    }
    return undefined;
  }

  async #authMethods(): Promise<(PublicKeyAuthMethod | AgentAuthMethod)[]> {
    const t = this.target;
    const methods: (PublicKeyAuthMethod | AgentAuthMethod)[] = [];
    if (t.identityFiles.length === 0 && t.resolveIdentities) t.identityFiles = await t.resolveIdentities();
    this.#offered = [];
    for (const file of t.identityFiles) {
      try {
        methods.push({ type: 'publickey', username: t.user, key: await readFile(file) });
        this.#offered.push(file);
      } catch {
        // a configured key that does not exist is skipped, as ssh(1) does
      }
    }
    if (t.agentSocket) {
      methods.push({ type: 'agent', username: t.user, agent: t.agentSocket });
      this.#offered.push('the SSH agent');
    }
    return methods;
  }

  #connectError(error: Error & { level?: string }): BenchtopError {
    const t = this.target;
    const where = `${t.user}@${t.hostname}:${t.port}`;
    const presented = this.#presented;
    if (presented && presented.verdict.state !== 'trusted') return hostKeyError(t, presented);
    if (error.level === 'client-authentication') {
      const offered = this.#offered.length ? `tried ${this.#offered.join(', ')}` : `no readable key (looked for ${t.identityFiles.join(', ') || 'none'}) and no SSH agent`;
      return new BenchtopError('HOST_AUTH_FAILED', `${where} refused every key offered (${offered}).`,
        `Add your public key to ~${t.user}/.ssh/authorized_keys on ${t.hostname}, or pick the right key with --identity / IdentityFile in ~/.ssh/config.`, { cause: error });
    }
    if (error.level === 'client-timeout') {
      return new BenchtopError('HOST_UNREACHABLE', `${where} did not complete an SSH handshake within ${Math.round((t.connectTimeoutMs ?? 10_000) / 1000)} s.`,
        'Check the address and port, your network or VPN, and that sshd runs on the host.', { cause: error });
    }
    if (t.proxyCommand && /ProxyCommand exited/.test(error.message)) {
      return new BenchtopError('HOST_UNREACHABLE', `The ProxyCommand for ${t.label} failed before the SSH handshake: ${error.message}`,
        `Run the command by hand (\`${t.proxyCommand}\`) to see why.`, { cause: error });
    }
    const code = systemCode(error);
    if (code && UNREACHABLE_CODES.has(code)) {
      const reason = code === 'ECONNREFUSED' ? 'nothing accepts connections on that port' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the name does not resolve' : error.message;
      return new BenchtopError('HOST_UNREACHABLE', `Cannot reach ${where}: ${reason} (${code}).`,
        'Check the address and port, your network or VPN, and that sshd runs on the host.', { cause: error });
    }
    return new BenchtopError('HOST_UNREACHABLE', `SSH to ${where} failed: ${error.message}`, 'Check that an SSH server runs there and try `ssh` by hand.', { cause: error });
  }
}

/** The error for a key that is not on file, or differs from the one on file. */
export function hostKeyError(t: SshTarget, key: PresentedKey): BenchtopError {
  const where = `${t.hostname}:${t.port}`;
  const trustCommand = `benchtop host trust ${t.hostId ?? t.label} ${key.fingerprint}`;
  switch (key.verdict.state) {
    case 'changed':
      return new BenchtopError('HOST_KEY_CHANGED',
        `WARNING: the host key of ${t.label} (${where}) has changed. known_hosts (${key.verdict.file ?? t.knownHostsPath} line ${key.verdict.line}) has ${key.verdict.knownFingerprints.join(', ')}; the host now presents ${key.keyType} ${key.fingerprint}. Benchtop did not connect.`,
        `Someone could be intercepting the connection, or the host was reinstalled. Ask its admin for the real fingerprint; only if it is ${key.fingerprint}, remove the old line (ssh-keygen -R ${t.port === 22 ? t.hostname : `'[${t.hostname}]:${t.port}'`}) and add the host again.`);
    case 'revoked':
      return new BenchtopError('HOST_KEY_CHANGED', `${t.label} (${where}) presented ${key.keyType} ${key.fingerprint}, which ${key.verdict.file ?? t.knownHostsPath} line ${key.verdict.line} marks @revoked. Benchtop did not connect.`,
        'Ask the host’s admin to replace the revoked host key.');
    default:
      return new BenchtopError('HOST_KEY_UNKNOWN', `${t.label} (${where}) presented ${key.keyType} ${key.fingerprint}, which is not in ${t.knownHostsPath}.`,
        `Compare the fingerprint with the one the host’s admin gives you, then trust it (Hosts page, or \`${trustCommand}\`).`);
  }
}
