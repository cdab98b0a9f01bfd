import { findNodeAtLocation, getNodeValue, type Node } from 'jsonc-parser';
import type { TeamClusterSettings, TeamFile, TeamHost } from '../../../shared/contract/team';
import { BenchtopError } from '../errors';
import { parseJsoncTree, positionOf } from '../project/jsonc';

/**
 * The team file a lead commits (`.benchtop/team.json`) or publishes at a URL: registry, shared
 * hosts with their host-key fingerprints, cloud project and zones, the default target and GPU
 * policy defaults. JSON with comments; every problem is TEAM_FILE_INVALID naming the file, the line
 * and the key, because a half-read team file would set a whole team up wrong.
 */

type Path = (string | number)[];

const TOP_KEYS = ['$schema', 'name', 'registry', 'hosts', 'cloud', 'defaultTarget', 'idleMinutes', 'gpuPolicy', 'updateUrl', 'slurm'];
const UPDATE_URL = /^(?:https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?|http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?)(?:\/[A-Za-z0-9._~/-]*)?$/;
const POLICY_KEYS = { maxGpusPerUser: [0, 64], defaultLeaseHours: [1, 24 * 30], maxLeaseHours: [1, 24 * 365], idleMinutes: [0, 7 * 24 * 60], utilizationThreshold: [0, 100] } as const;
const HOST_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;
const ADDRESS = /^(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/;
const REGISTRY = /^[A-Za-z0-9.-]+(?::\d{1,5})?$/;
const ZONE = /^[a-z]+-[a-z]+\d+-[a-z]$/;
/** A partition, account or QOS name as Slurm prints it. */
const SLURM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** A path segment on the cluster: letters, digits, `._-` and the given `{placeholders}`, never `.` or `..`. */
const segment = (...names: string[]) => String.raw`(?!\.\.?(?:/|$))(?:[A-Za-z0-9._-]|${names.map((n) => String.raw`\{${n}\}`).join('|')})+`;
/** A folder on the cluster: absolute or under the home folder; `{user}` is the analyst's login name. */
const SHARED_DIR = new RegExp(`^/?${segment('user')}(?:/${segment('user')})*/?$`);
const DEVICE_PATTERN = new RegExp(`^(?:/${segment('node', 'index')})+$`);

class TeamReader {
  constructor(readonly text: string, readonly file: string, readonly root: Node) {}

  value(path: Path): unknown {
    const node = findNodeAtLocation(this.root, path);
    return node ? (getNodeValue(node) as unknown) : undefined;
  }

  fail(path: Path, problem: string, hint: string): never {
    // A missing key is reported at the line of the nearest thing that is there (its object).
    let node: Node | undefined;
    for (let n = path.length; !node && n >= 0; n -= 1) node = findNodeAtLocation(this.root, path.slice(0, n));
    const line = node ? `:${positionOf(this.text, node.offset).line}` : '';
    const key = path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
    throw new BenchtopError('TEAM_FILE_INVALID', `${this.file}${line}: "${key}" ${problem}.`, hint);
  }

  string(path: Path, pattern: RegExp, example: string): string | undefined {
    const v = this.value(path);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !pattern.test(v)) this.fail(path, `is not valid: ${JSON.stringify(v)}`, `Write it like ${example}.`);
    return v;
  }

  integer(path: Path, min: number, max: number): number | undefined {
    const v = this.value(path);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(path, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`, `Write a number such as ${Math.max(min, 1)}.`);
    return v;
  }

  list(path: Path): unknown[] {
    const v = this.value(path);
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(path, 'must be a list ([ … ])', 'See docs: the team file.');
    return v;
  }

  object(path: Path, keys: readonly string[]): Record<string, unknown> | undefined {
    const v = this.value(path);
    if (v === undefined) return undefined;
    if (!v || typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'must be an object ({ … })', 'See docs: the team file.');
    for (const key of Object.keys(v)) {
      if (!keys.includes(key)) this.fail([...path, key], `is not a team file setting (known here: ${keys.filter((k) => k !== '$schema').join(', ')})`, 'Check the spelling, or remove it.');
    }
    return v as Record<string, unknown>;
  }
}

/** A cluster's own job settings (`hosts[i].slurm`). */
function clusterSettings(r: TeamReader, path: Path): TeamClusterSettings | undefined {
  if (!r.object(path, ['partition', 'account', 'qos', 'sharedDir', 'runtime', 'gpuDevicePattern'])) return undefined;
  const out: TeamClusterSettings = {};
  for (const key of ['partition', 'account', 'qos'] as const) {
    const value = r.string([...path, key], SLURM_NAME, '"gpu" (the name as sinfo / sacctmgr print it)');
    if (value) out[key] = value;
  }
  const shared = r.string([...path, 'sharedDir'], SHARED_DIR, '"/shared/{user}/benchtop" ({user}: each analyst\'s login name) or "benchtop" (under the home folder)');
  if (shared) out.sharedDir = shared;
  const runtime = r.string([...path, 'runtime'], /^(?:podman|docker)$/, '"podman" or "docker"');
  if (runtime) out.runtime = runtime as TeamClusterSettings['runtime'];
  const devices = r.string([...path, 'gpuDevicePattern'], DEVICE_PATTERN, '"/dev/nvidia{index}"');
  if (devices) out.gpuDevicePattern = devices;
  return out;
}

function hosts(r: TeamReader): TeamHost[] {
  const seen = new Set<string>();
  return r.list(['hosts']).map((_, i) => {
    const base = ['hosts', i];
    r.object(base, ['id', 'kind', 'address', 'fingerprints', 'dockerSocket', 'slurm']);
    const kind = r.string([...base, 'kind'], /^(?:ssh|slurm)$/, '"ssh" (the default) or "slurm" (a Slurm cluster\'s login node)');
    const id = r.string([...base, 'id'], HOST_ID, '"gpu-box" (lower-case letters, digits, -)');
    if (!id) r.fail(base, 'needs an "id"', 'Write e.g. "id": "gpu-box".');
    if (seen.has(id)) r.fail([...base, 'id'], `"${id}" is listed twice`, 'Keep one entry per host.');
    seen.add(id);
    const address = r.string([...base, 'address'], ADDRESS, '"gpu-box.example.com" or "analyst@gpu-box.example.com:2222"');
    if (!address) r.fail(base, 'needs an "address"', 'Write e.g. "address": "gpu-box.example.com".');
    const port = Number(ADDRESS.exec(address)?.[3] ?? 22);
    if (port < 1 || port > 65535) r.fail([...base, 'address'], `has port ${port}`, 'Ports are 1 to 65535.');
    const fingerprints = r.list([...base, 'fingerprints']).map((_f, j) => r.string([...base, 'fingerprints', j], FINGERPRINT, '"SHA256:…" as `ssh-keygen -lf` prints it') as string);
    if (fingerprints.length === 0) {
      r.fail([...base, 'fingerprints'], 'must list the host\'s key fingerprints, so teammates can trust the host without guessing',
        `Print them on the host with \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` and add "fingerprints": ["SHA256:…"].`);
    }
    const host: TeamHost = { id, address, fingerprints };
    if (kind === 'slurm') {
      host.kind = 'slurm';
      if (r.value([...base, 'dockerSocket']) !== undefined) {
        r.fail([...base, 'dockerSocket'], 'is for SSH hosts: a Slurm cluster runs sessions as jobs, not on an engine of its login node', 'Remove it, or remove "kind": "slurm" if this is an SSH host.');
      }
      const settings = clusterSettings(r, [...base, 'slurm']);
      if (settings) host.slurm = settings;
      return host;
    }
    if (r.value([...base, 'slurm']) !== undefined) {
      r.fail([...base, 'slurm'], 'is for Slurm clusters only', 'Add "kind": "slurm" if this host is a cluster\'s login node, or remove it.');
    }
    const socket = r.string([...base, 'dockerSocket'], /^\/[^\0]*$/, '"/run/user/1000/docker.sock"');
    if (socket) host.dockerSocket = socket;
    return host;
  });
}

/** Parses and validates a team file's text; `file` (a path or URL) names it in messages. */
export function parseTeamFile(text: string, file: string): TeamFile {
  let root: Node;
  try {
    root = parseJsoncTree(text, file);
  } catch (error) {
    const e = error as BenchtopError;
    throw new BenchtopError('TEAM_FILE_INVALID', e.message.replace('the file must hold one JSON object', 'a team file is one JSON object'), e.hint);
  }
  const r: TeamReader = new TeamReader(text, file, root);
  r.object([], TOP_KEYS);
  const team: TeamFile = { source: file, hosts: hosts(r) };
  const name = r.value(['name']);
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length > 100) r.fail(['name'], 'must be a short text', 'Write e.g. "name": "Data team".');
    team.name = name;
  }
  const registry = r.string(['registry'], REGISTRY, '"registry.example.com" or "127.0.0.1:5000"');
  if (registry) team.registry = registry;
  if (r.object(['cloud'], ['project', 'zones'])) {
    const project = r.string(['cloud', 'project'], /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, '"my-team-project" (a Google Cloud project id)');
    const zones = r.list(['cloud', 'zones']).map((_, i) => r.string(['cloud', 'zones', i], ZONE, '"europe-west4-a"') as string);
    team.cloud = { zones, ...(project ? { project } : {}) };
  }
  const target = r.value(['defaultTarget']);
  if (target !== undefined) {
    if (typeof target !== 'string' || (target !== 'local' && !team.hosts.some((h) => h.id === target))) {
      r.fail(['defaultTarget'], `must be "local" or the id of a host listed here, not ${JSON.stringify(target)}`, `Use one of: ${['local', ...team.hosts.map((h) => h.id)].join(', ')}.`);
    }
    team.defaultTarget = target;
  }
  const updateUrl = r.string(['updateUrl'], UPDATE_URL, '"https://downloads.example.com/benchtop/" (the folder holding latest.yml)');
  if (updateUrl) team.updateUrl = updateUrl;
  if (r.object(['slurm'], ['partition', 'account', 'qos'])) {
    const slurm: NonNullable<TeamFile['slurm']> = {};
    for (const key of ['partition', 'account', 'qos'] as const) {
      const value = r.string(['slurm', key], SLURM_NAME, '"gpu" (the name as sinfo / sacctmgr print it)');
      if (value) slurm[key] = value;
    }
    team.slurm = slurm;
  }
  const idle = r.integer(['idleMinutes'], 0, 7 * 24 * 60);
  if (idle !== undefined) team.idleMinutes = idle;
  if (r.object(['gpuPolicy'], Object.keys(POLICY_KEYS))) {
    const policy: NonNullable<TeamFile['gpuPolicy']> = {};
    for (const [key, [min, max]] of Object.entries(POLICY_KEYS) as [keyof typeof POLICY_KEYS, readonly [number, number]][]) {
      const value = r.integer(['gpuPolicy', key], min, max);
      if (value !== undefined) policy[key] = value;
    }
    if (policy.defaultLeaseHours !== undefined && policy.maxLeaseHours !== undefined && policy.defaultLeaseHours > policy.maxLeaseHours) {
      r.fail(['gpuPolicy', 'defaultLeaseHours'], `(${policy.defaultLeaseHours}) is more than maxLeaseHours (${policy.maxLeaseHours})`, 'Lower it, or raise maxLeaseHours.');
    }
    team.gpuPolicy = policy;
  }
  return team;
}
