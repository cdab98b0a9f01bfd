import type { Logger } from '../log/logger';
import { httpGet, type HttpAnswer } from './rest-http';
import type { ClusterShell } from './shell';
import { parseSqueue } from './squeue';
import type { SlurmJob } from './types';

/** The REST versions whose jobs answer parseSqueue reads (the same shapes as `squeue --json`), newest first. */
export const REST_VERSIONS = ['v0.0.40', 'v0.0.39', 'v0.0.38'] as const;
/** Where slurmrestd listens when the cluster's settings name no `restUrl` (as the login node sees it). */
export const DEFAULT_REST_URL = 'http://127.0.0.1:6820';

const TOKEN_LIFESPAN_S = 1800;
/** A token is renewed this long before it expires. */
const RENEW_BEFORE_MS = 120_000;
/** After REST failed to answer (no slurmrestd, no JWT), the CLI is used for this long before REST is tried again. */
const RETRY_AFTER_MS = 300_000;
const HTTP_TIMEOUT_MS = 15_000;

interface Token { value: string; expiresAt: number }

/**
 * slurmrestd reached through the login node's SSH connection (a channel to its host:port as the login
 * node sees it; nothing listens on this computer), with a JWT from `scontrol token` kept in memory only
 * (added to the logger's secrets, never written anywhere). Every read answers undefined when REST cannot
 * serve it, with the reason logged: the caller then uses the command-line tools over SSH.
 */
export class SlurmRest {
  #token: Token | undefined;
  #version: string | undefined;
  #downUntil = 0;
  readonly #url: URL | undefined;

  constructor(private readonly shell: ClusterShell, private readonly log: Logger, restUrl: string | undefined,
    private readonly now: () => number = Date.now) {
    try {
      this.#url = restUrl === 'off' ? undefined : new URL(restUrl || DEFAULT_REST_URL);
    } catch {
      this.#url = undefined;
      log.warn('the cluster\'s restUrl is not a URL; using the command-line tools', { cluster: shell.label, restUrl });
    }
  }

  /** The API version in use once found (e.g. v0.0.38); undefined before or without REST. */
  get version(): string | undefined {
    return this.#version;
  }

  /** Every job in the queue, as `squeue --json` lists them; undefined when REST could not answer. */
  async jobs(): Promise<SlurmJob[] | undefined> {
    return this.#read('jobs', (text, what) => parseSqueue(text, what));
  }

  /** Whether the controller answers slurmrestd's ping; undefined when REST could not answer. */
  async ping(): Promise<boolean | undefined> {
    return this.#read('ping', (text) => {
      const pings = (JSON.parse(text) as { pings?: { ping?: string; pinged?: string }[] }).pings ?? [];
      return pings.some((p) => /UP/i.test(p.ping ?? p.pinged ?? ''));
    });
  }

  /** Forgets the token (a test's forged one, a user switch); the next read fetches a new one. */
  setToken(value: string | undefined, expiresAt = this.now() + TOKEN_LIFESPAN_S * 1000): void {
    this.log.addSecret(value);
    this.#token = value ? { value, expiresAt } : undefined;
  }

  async #read<T>(what: string, parse: (text: string, what: string) => T): Promise<T | undefined> {
    if (!this.#url || this.now() < this.#downUntil) return undefined;
    try {
      let version = this.#version;
      if (!version) {
        version = this.#version = await this.#discover();
        this.log.info('slurmrestd answers; the queue is read through it', { cluster: this.shell.label, url: this.#url.href, version });
      }
      const path = `/slurm/${version}/${what}`;
      const answer = await this.#authed(path);
      if (answer.status !== 200) throw new Error(`GET ${path} answered HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
      return parse(answer.body, `GET ${path}`);
    } catch (error) {
      this.#downUntil = this.now() + RETRY_AFTER_MS;
      this.#version = undefined;
      this.log.warn('slurmrestd did not answer; using the command-line tools over SSH', { cluster: this.shell.label, url: this.#url.href, read: what, reason: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  /** The newest API version the server lists (its OpenAPI document) that the parser knows, or the newest that answers ping. */
  async #discover(): Promise<string> {
    const doc = await this.#authed('/openapi/v3');
    if (doc.status === 200) {
      const paths = Object.keys((JSON.parse(doc.body) as { paths?: Record<string, unknown> }).paths ?? {});
      const found = REST_VERSIONS.find((v) => paths.includes(`/slurm/${v}/jobs`) || paths.includes(`/slurm/${v}/jobs/`));
      if (found) return found;
      throw new Error(`slurmrestd lists no API version Benchtop reads (${REST_VERSIONS.join(', ')})`);
    }
    for (const v of REST_VERSIONS) {
      if ((await this.#get(`/slurm/${v}/ping`)).status === 200) return v;
    }
    throw new Error(`neither /openapi/v3 (HTTP ${doc.status}) nor /slurm/<version>/ping answered for ${REST_VERSIONS.join(', ')}`);
  }

  /** A GET whose refused token (expired, forged, revoked) is renewed once; the second answer stands. */
  async #authed(path: string): Promise<HttpAnswer> {
    const fresh = !this.#token;
    const answer = await this.#get(path);
    if (fresh || !authFailed(answer)) return answer;
    this.log.info('slurmrestd refused the token; renewing it', { cluster: this.shell.label, status: answer.status });
    this.#token = undefined;
    return this.#get(path);
  }

  async #bearer(): Promise<string> {
    if (this.#token && this.#token.expiresAt - RENEW_BEFORE_MS > this.now()) return this.#token.value;
    const asked = this.now();
    const out = await this.shell.run(`scontrol token lifespan=${TOKEN_LIFESPAN_S}`, { timeoutMs: 20_000 });
    const value = /SLURM_JWT=(\S+)/.exec(out.stdout)?.[1];
    if (out.exitCode !== 0 || !value) throw new Error(`scontrol token gave no token (exit ${out.exitCode}: ${out.stderr.trim().slice(0, 200)})`);
    this.setToken(value, asked + TOKEN_LIFESPAN_S * 1000);
    return value;
  }

  async #get(path: string): Promise<HttpAnswer> {
    const url = this.#url;
    if (!url) throw new Error('no slurmrestd URL');
    const token = await this.#bearer();
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const channel = await this.shell.openTcp(url.hostname, port);
    return httpGet(channel, url.host, path, { 'X-SLURM-USER-NAME': this.shell.user(), 'X-SLURM-USER-TOKEN': token, Accept: 'application/json' }, HTTP_TIMEOUT_MS);
  }
}

/** 401/403, or the 500 slurmrestd 22.05 gives for a bad or expired token (its body does not always say why). */
function authFailed(answer: HttpAnswer): boolean {
  return answer.status === 401 || answer.status === 403 || answer.status === 500;
}
