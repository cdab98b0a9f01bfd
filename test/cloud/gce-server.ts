import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { computeSkus } from './billing-skus';
import { bootVm, type CloudVmEnv, type RunningVm } from './test-vm';

/**
 * A local Compute Engine: the documented REST resources Benchtop's client uses (instances
 * insert/get/list/aggregatedList/start/stop/setMachineType/delete/getGuestAttributes, zoneOperations
 * get/wait, acceleratorTypes aggregatedList, regions get with quotas, machineTypes get), an OAuth
 * token endpoint for the credentials file, and scripted faults. An instance that reaches RUNNING is a
 * real stand-in VM (test-vm.ts): real SSH, the test host's real engine.
 */
export interface Faults {
  /** Zones whose inserts end DONE with ZONE_RESOURCE_POOL_EXHAUSTED (after RUNNING). */
  stockoutZones: Set<string>;
  /** Inserts end DONE with QUOTA_EXCEEDED for this metric (e.g. GPUS_ALL_REGIONS). */
  quotaExceeded?: string;
  /** This many `wait` calls answer at once with the operation still RUNNING. */
  earlyWaits: number;
  /** Zones whose inserts end DONE with a non-capacity error after the operation ran. */
  failAfterRunning: Set<string>;
  /** Zones where the insert ends DONE without error but the instance is gone (404) right after. */
  notFoundAfterInsert: Set<string>;
  /** Inserts stay RUNNING (instance PROVISIONING) until released: a create cut short. */
  holdInserts: boolean;
  /** The Cloud Billing Catalog API answers 403 as when it is not enabled for the credentials' project. */
  billingDisabled: boolean;
}

interface Operation {
  kind: 'compute#operation';
  id: string;
  name: string;
  zone: string;
  operationType: string;
  targetLink: string;
  status: 'PENDING' | 'RUNNING' | 'DONE';
  progress: number;
  insertTime: string;
  endTime?: string;
  error?: { errors: { code: string; message: string }[] };
}

interface Vm {
  resource: Record<string, unknown> & { name: string; status: string; labels?: Record<string, string> };
  zone: string;
  dir: string;
  running?: RunningVm;
  guest: { namespace: string; key: string; value: string }[];
}

export interface GceServerOptions {
  project: string;
  /** Zone → the GPU types it lists. */
  zones: Record<string, string[]>;
  /** Region → quotas ({metric, limit, usage}). */
  quotas?: Record<string, { metric: string; limit: number; usage: number }[]>;
  vmEnv: CloudVmEnv;
  /** How long each operation runs before DONE (GCE's own time, subtracted by the bench). */
  operationMs?: number;
}

const BASE = 'https://www.googleapis.com/compute/v1';

export class GceServer {
  readonly faults: Faults = { stockoutZones: new Set(), earlyWaits: 0, failAfterRunning: new Set(), notFoundAfterInsert: new Set(), holdInserts: false, billingDisabled: false };
  /** Requests to the Cloud Billing Catalog API's SKU list (its pages), with their query. */
  readonly billingRequests: { query: string; quotaProject?: string }[] = [];
  readonly requests: { method: string; path: string; query: string; body?: unknown }[] = [];
  /** Milliseconds the server spent on its own operations and VM boots (the bench subtracts them). */
  serverMs = 0;
  readonly #o: Required<Omit<GceServerOptions, 'quotas'>> & { quotas: NonNullable<GceServerOptions['quotas']> };
  readonly #tokens = new Set<string>();
  readonly #ops = new Map<string, Operation>();
  readonly #vms = new Map<string, Vm>();
  readonly #byRequestId = new Map<string, Operation>();
  readonly #held: (() => void)[] = [];
  readonly #runDir = join(process.env.TMPDIR ?? '/tmp', `bt-test-gce-${randomUUID().slice(0, 8)}`);
  #server?: Server;
  url = '';

  constructor(o: GceServerOptions) {
    this.#o = { operationMs: 200, quotas: {}, ...o };
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    const address = this.#server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this;
  }

  /** An ADC file (external_account_authorized_user, as gcloud writes for workforce logins) whose token_url is this server. */
  credentials(): Record<string, string> {
    return {
      type: 'external_account_authorized_user', audience: '//iam.googleapis.com/locations/global/workforcePools/bt/providers/test',
      client_id: 'bt-test-client', client_secret: 'bt-test-secret', refresh_token: `bt-test-refresh-${randomUUID()}`, token_url: `${this.url}/token`,
    };
  }

  instances(): Vm['resource'][] {
    return [...this.#vms.values()].map((v) => v.resource);
  }

  instance(name: string): Vm['resource'] | undefined {
    return this.#vms.get(name)?.resource;
  }

  /** Lets held inserts finish. */
  release(): void {
    for (const go of this.#held.splice(0)) go();
  }

  async close(): Promise<void> {
    this.release();
    await Promise.all([...this.#vms.values()].map((v) => v.running?.stop()));
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
    this.#server?.closeAllConnections();
    await rm(this.#runDir, { recursive: true, force: true });
  }

  // -- HTTP ---------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, reason: string, message: string) => send(status, { error: { code: status, message, errors: [{ domain: 'global', reason, message }] } });
    try {
      if (url.pathname === '/token' && req.method === 'POST') {
        const form = new URLSearchParams(raw);
        if (form.get('grant_type') !== 'refresh_token' || !form.get('refresh_token')?.startsWith('bt-test-refresh-')) return send(400, { error: 'invalid_grant' });
        const token = `bt-test-token-${randomUUID()}`;
        this.#tokens.add(token);
        return send(200, { access_token: token, expires_in: 3600, token_type: 'Bearer' });
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !this.#tokens.has(bearer)) return fail(401, 'authError', 'Request had invalid authentication credentials.');
      if (req.method === 'GET' && url.pathname === '/v1/services/6F81-5844-456A/skus') return this.#skus(url.searchParams, req.headers['x-goog-user-project'] as string | undefined, send);
      const m = /^\/compute\/v1\/projects\/([^/]+)\/(.*)$/.exec(url.pathname);
      if (!m) return fail(404, 'notFound', `No such API path ${url.pathname}`);
      const [, project, rest] = m;
      if (project !== this.#o.project) return fail(403, 'forbidden', `Permission denied on project ${project}`);
      this.requests.push({ method: req.method ?? '', path: rest, query: url.search, body: raw ? JSON.parse(raw) : undefined });
      const answer = await this.#route(req.method ?? 'GET', rest.split('/'), url.searchParams, raw ? JSON.parse(raw) : {});
      if ('error' in answer) return fail(answer.status, answer.reason, answer.error);
      return send(200, answer.body);
    } catch (error) {
      return fail(500, 'backendError', String(error));
    }
  }

  /** The Cloud Billing Catalog API's Compute Engine SKUs, in two pages joined by nextPageToken, as the API pages them. */
  #skus(q: URLSearchParams, quotaProject: string | undefined, send: (status: number, body: unknown) => void): void {
    this.billingRequests.push({ query: q.toString(), quotaProject });
    // As for Google's API with user credentials: a quota project is needed, and must be one the caller may use.
    if (quotaProject !== this.#o.project) {
      return send(403, { error: { code: 403, status: 'PERMISSION_DENIED', message: `Your application is authenticating by using local Application Default Credentials. The cloudbilling.googleapis.com API requires a quota project, which is not set by default (got ${quotaProject ?? 'none'}).` } });
    }
    if (this.faults.billingDisabled) {
      return send(403, { error: { code: 403, status: 'PERMISSION_DENIED', message: 'Cloud Billing API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudbilling.googleapis.com/overview?project=123456789 then retry.' } });
    }
    const all = computeSkus();
    const half = Math.ceil(all.length / 2);
    const token = q.get('pageToken');
    if (!token) return send(200, { skus: all.slice(0, half), nextPageToken: 'bt-test-page-2' });
    if (token !== 'bt-test-page-2') return send(400, { error: { code: 400, status: 'INVALID_ARGUMENT', message: `Invalid page token ${token}` } });
    return send(200, { skus: all.slice(half), nextPageToken: '' });
  }

  async #route(method: string, p: string[], q: URLSearchParams, body: Record<string, unknown>): Promise<{ body: unknown } | { status: number; reason: string; error: string }> {
    const notFound = (what: string) => ({ status: 404, reason: 'notFound', error: `The resource '${what}' was not found` });
    if (method === 'GET' && p[0] === 'aggregated' && p[1] === 'acceleratorTypes') {
      const items: Record<string, unknown> = {};
      for (const [zone, types] of Object.entries(this.#o.zones)) {
        items[`zones/${zone}`] = types.length
          ? { acceleratorTypes: types.map((t) => ({ kind: 'compute#acceleratorType', name: t, zone: `${BASE}/projects/${this.#o.project}/zones/${zone}`, maximumCardsPerInstance: 8 })) }
          : { warning: { code: 'NO_RESULTS_ON_PAGE', message: 'There are no results for scope' } };
      }
      return { body: { kind: 'compute#acceleratorTypeAggregatedList', items } };
    }
    if (method === 'GET' && p[0] === 'aggregated' && p[1] === 'instances') {
      const filter = /^labels\.([a-z0-9_-]+)\s*=\s*"?([a-z0-9_-]+)"?$/.exec(q.get('filter') ?? '');
      const items: Record<string, { instances: unknown[] }> = {};
      for (const vm of this.#vms.values()) {
        if (filter && vm.resource.labels?.[filter[1]] !== filter[2]) continue;
        (items[`zones/${vm.zone}`] ??= { instances: [] }).instances.push(vm.resource);
      }
      return { body: { kind: 'compute#instanceAggregatedList', items } };
    }
    if (method === 'GET' && p[0] === 'regions' && p.length === 2) {
      return { body: { kind: 'compute#region', name: p[1], quotas: this.#o.quotas[p[1]] ?? [] } };
    }
    if (p[0] !== 'zones' || !p[1]) return notFound(p.join('/'));
    const zone = p[1];
    if (!(zone in this.#o.zones)) return notFound(`zones/${zone}`);
    if (p[2] === 'machineTypes' && method === 'GET') return { body: { kind: 'compute#machineType', name: p[3], zone } };
    if (p[2] === 'operations') {
      const op = this.#ops.get(p[3]);
      if (!op || !op.zone.endsWith(`/zones/${zone}`)) return notFound(`operations/${p[3]}`);
      if (method === 'POST' && p[4] === 'wait') return { body: await this.#wait(op) };
      return { body: op };
    }
    if (p[2] !== 'instances') return notFound(p.join('/'));
    if (p.length === 3 && method === 'GET') return { body: { items: [...this.#vms.values()].filter((v) => v.zone === zone).map((v) => v.resource) } };
    if (p.length === 3 && method === 'POST') return { body: this.#insert(zone, body, q.get('requestId')) };
    const vm = this.#vms.get(p[3]);
    if (!vm || vm.zone !== zone) return notFound(`projects/${this.#o.project}/zones/${zone}/instances/${p[3]}`);
    if (p.length === 4 && method === 'GET') return { body: vm.resource };
    if (p.length === 4 && method === 'DELETE') return { body: this.#operation(zone, 'delete', vm.resource.name, async () => this.#delete(vm)) };
    if (p[4] === 'getGuestAttributes') {
      const prefix = (q.get('queryPath') ?? '').replace(/\/$/, '');
      const items = vm.guest.filter((g) => g.namespace === prefix);
      if (!items.length) return notFound(`instances/${vm.resource.name}/guestAttributes/${prefix}`);
      return { body: { kind: 'compute#guestAttributes', queryPath: q.get('queryPath'), queryValue: { items } } };
    }
    if (p[4] === 'start' && method === 'POST') return { body: this.#operation(zone, 'start', vm.resource.name, async () => this.#boot(vm)) };
    if (p[4] === 'stop' && method === 'POST') return { body: this.#operation(zone, 'stop', vm.resource.name, async () => this.#halt(vm)) };
    if (p[4] === 'setMachineType' && method === 'POST') {
      if (vm.resource.status !== 'TERMINATED') return { status: 400, reason: 'badRequest', error: `Instance '${vm.resource.name}' must be stopped to change its machine type.` };
      return { body: this.#operation(zone, 'setMachineType', vm.resource.name, async () => { vm.resource.machineType = `${BASE}/projects/${this.#o.project}/${String(body.machineType)}`; }) };
    }
    return notFound(p.join('/'));
  }

  async #wait(op: Operation): Promise<Operation> {
    if (this.faults.earlyWaits > 0 && op.status !== 'DONE') {
      this.faults.earlyWaits -= 1;
      return op;
    }
    const deadline = Date.now() + 2_000;
    while (op.status !== 'DONE' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return op;
  }

  /** Runs `work` as a zone operation: RUNNING now, DONE (or DONE with errors) after operationMs and the work. */
  #operation(zone: string, type: string, target: string, work: () => Promise<{ code: string; message: string }[] | void>, hold?: Promise<void>): Operation {
    const op: Operation = {
      kind: 'compute#operation', id: String(Date.now()), name: `operation-${randomUUID()}`, zone: `${BASE}/projects/${this.#o.project}/zones/${zone}`,
      operationType: type, targetLink: `${BASE}/projects/${this.#o.project}/zones/${zone}/instances/${target}`, status: 'RUNNING', progress: 0,
      insertTime: new Date().toISOString(),
    };
    this.#ops.set(op.name, op);
    const began = Date.now();
    void (async () => {
      await new Promise((r) => setTimeout(r, this.#o.operationMs));
      await hold;
      try {
        const errors = await work();
        if (errors?.length) op.error = { errors };
      } catch (error) {
        op.error = { errors: [{ code: 'INTERNAL_ERROR', message: String(error) }] };
      }
      this.serverMs += Date.now() - began;
      op.progress = 100;
      op.endTime = new Date().toISOString();
      op.status = 'DONE';
    })();
    return op;
  }

  #insert(zone: string, body: Record<string, unknown>, requestId: string | null): Operation {
    // The same requestId is the same request: its operation again, never a second VM.
    if (requestId && this.#byRequestId.has(requestId)) return this.#byRequestId.get(requestId)!;
    const name = String(body.name);
    if (this.#vms.has(name)) {
      const op = this.#operation(zone, 'insert', name, async () => [{ code: 'RESOURCE_ALREADY_EXISTS', message: `The resource '${name}' already exists` }]);
      return op;
    }
    const hold = this.faults.holdInserts ? new Promise<void>((r) => this.#held.push(r)) : undefined;
    const stockout = this.faults.stockoutZones.has(zone);
    const quota = this.faults.quotaExceeded;
    const failing = this.faults.failAfterRunning.has(zone);
    const vanish = this.faults.notFoundAfterInsert.has(zone);
    let vm: Vm | undefined;
    if (!stockout && !quota) {
      vm = {
        zone, dir: join(this.#runDir, name), guest: [],
        resource: {
          ...body, kind: 'compute#instance', id: String(Math.floor(Math.random() * 1e15)), name, status: 'PROVISIONING',
          zone: `${BASE}/projects/${this.#o.project}/zones/${zone}`, machineType: `${BASE}/projects/${this.#o.project}/${String(body.machineType)}`,
          creationTimestamp: new Date().toISOString(), selfLink: `${BASE}/projects/${this.#o.project}/zones/${zone}/instances/${name}`,
          disks: ((body.disks as Record<string, unknown>[] | undefined) ?? []).map((d) => ({
            boot: d.boot, autoDelete: d.autoDelete, diskSizeGb: String((d.initializeParams as { diskSizeGb?: unknown } | undefined)?.diskSizeGb ?? 10),
            source: `${BASE}/projects/${this.#o.project}/zones/${zone}/disks/${name}`,
          })),
        },
      };
      this.#vms.set(name, vm);
    }
    const op = this.#operation(zone, 'insert', name, async () => {
      if (stockout) return [{ code: 'ZONE_RESOURCE_POOL_EXHAUSTED', message: `The zone 'projects/${this.#o.project}/zones/${zone}' does not have enough resources available to fulfill the request. Try a different zone, or try again later.` }];
      if (quota) return [{ code: 'QUOTA_EXCEEDED', message: `Quota '${quota}' exceeded.  Limit: 0.0 globally.` }];
      if (failing) {
        this.#vms.delete(name);
        return [{ code: 'INTERNAL_ERROR', message: 'Internal error. Please try again or contact Google Support.' }];
      }
      if (vanish) {
        this.#vms.delete(name);
        return;
      }
      void this.#boot(vm!);
    }, hold);
    if (requestId) this.#byRequestId.set(requestId, op);
    return op;
  }

  async #boot(vm: Vm): Promise<void> {
    const began = Date.now();
    vm.resource.status = 'STAGING';
    const meta = ((vm.resource.metadata as { items?: { key: string; value: string }[] } | undefined)?.items ?? []);
    const value = (key: string) => meta.find((i) => i.key === key)?.value;
    vm.running = await bootVm(this.#o.vmEnv, vm.resource.name, vm.dir, value('ssh-keys') ?? '', value('startup-script'), () => void this.#halt(vm));
    vm.resource.networkInterfaces = [{ network: `${BASE}/projects/${this.#o.project}/global/networks/default`, networkIP: '10.128.0.2', accessConfigs: [{ type: 'ONE_TO_ONE_NAT', name: 'External NAT', natIP: vm.running.address }] }];
    vm.resource.lastStartTimestamp = new Date().toISOString();
    vm.resource.status = 'RUNNING';
    // The guest agent publishes the host keys once it runs (only with enable-guest-attributes).
    if (value('enable-guest-attributes') === 'TRUE') vm.guest = [{ namespace: 'hostkeys', key: vm.running.hostKey.keyType, value: vm.running.hostKey.keyBase64 }];
    this.serverMs += Date.now() - began;
  }

  async #halt(vm: Vm): Promise<void> {
    if (vm.resource.status === 'TERMINATED') return;
    vm.resource.status = 'STOPPING';
    await vm.running?.stop();
    vm.running = undefined;
    vm.guest = [];
    vm.resource.networkInterfaces = [{ network: `${BASE}/projects/${this.#o.project}/global/networks/default`, networkIP: '10.128.0.2', accessConfigs: [{ type: 'ONE_TO_ONE_NAT', name: 'External NAT' }] }];
    vm.resource.lastStopTimestamp = new Date().toISOString();
    vm.resource.status = 'TERMINATED';
  }

  async #delete(vm: Vm): Promise<void> {
    await this.#halt(vm);
    this.#vms.delete(vm.resource.name);
    await rm(vm.dir, { recursive: true, force: true });
  }
}
