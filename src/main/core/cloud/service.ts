import { join } from 'node:path';
import type { CloudCreateRequest, CloudOptions, CloudSettingsView, CloudVm } from '../../../shared/contract/cloud';
import type { CloudStepName } from '../../../shared/contract/operations';
import type { Clock } from '../clock';
import { BenchtopError } from '../errors';
import type { EventBus } from '../events';
import type { Owner } from '../identity/owner';
import type { Logger } from '../log/logger';
import type { Operation } from '../operation';
import { DEFAULT_SETTINGS, type CloudSettings } from '../settings/schema';
import type { SettingsStore } from '../settings/store';
import { autostopScript } from './autostop-script';
import { checkRegionQuotas, zonesOffering, zonesToTry } from './capacity';
import { openCompute, type ComputeClients } from './client';
import { createInFirstZone, vmName } from './create';
import { cloudError } from './gce-errors';
import { familyOf, GPU_MODELS, shapeFor } from './gpu-models';
import { handOff, type HandoffHosts } from './handoff';
import { forgetVmHostKeys, vmMarker } from './known-hosts';
import { cloudLabels, labelValue, MANAGED_FILTER } from './labels';
import { waitForOperation } from './operation';
import { pricePerHour } from './prices';
import { PriceSource } from './price-source';
import { SpendLedger } from './spend-ledger';
import { cloudSshKey } from './ssh-key';
import { vmInfo } from './vm-info';

export interface CloudServiceDeps {
  settings: SettingsStore;
  env: NodeJS.ProcessEnv;
  owner: Owner;
  clock: Clock;
  bus: EventBus;
  hosts: HandoffHosts;
  /** The team file's cloud project and zones (for a project folder, or the team setting). */
  teamCloud: (projectDir?: string) => Promise<{ project?: string; zones: string[] } | undefined>;
  /** Where this install keeps its VM key (next to the settings). */
  dataDir: string;
  log?: Logger;
  /** Opens the API clients (default: ADC and compute.googleapis.com, or BENCHTOP_GCE_ENDPOINT). */
  open?: (env: NodeJS.ProcessEnv) => Promise<ComputeClients>;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * Cloud GPU VMs on Google Compute Engine: create (zone after zone on a stockout), start, stop,
 * resize, delete, and the list, read from the project's instances by their labels every time.
 * A RUNNING VM is handed to the hosts service as an SSH host named after the VM.
 */
export class CloudService {
  readonly #d: CloudServiceDeps;
  #clients?: Promise<ComputeClients>;
  /** VMs this process is creating now (the list does not call them interrupted). */
  readonly #creating = new Set<string>();
  /** The prices in force: refreshed from the Cloud Billing Catalog API when credentials allow, else shipped. */
  readonly #prices: PriceSource;
  /** Finished runs of this install's VMs (GCE keeps only the last), for the monthly limit. */
  readonly #ledger: SpendLedger;

  constructor(deps: CloudServiceDeps) {
    this.#d = deps;
    this.#prices = new PriceSource({ dataDir: deps.dataDir, env: deps.env, now: () => deps.clock.now(), log: deps.log });
    this.#ledger = new SpendLedger(join(deps.dataDir, 'cloud', 'runs.json'), deps.log);
  }

  #settings(): CloudSettings {
    return { ...DEFAULT_SETTINGS.cloud, ...this.#d.settings.get('cloud') };
  }

  async #where(projectDir?: string): Promise<{ project: string; zones: string[] }> {
    const own = this.#settings();
    const team = own.project && own.zones.length ? undefined : await this.#d.teamCloud(projectDir);
    const project = own.project || team?.project || '';
    if (!project) {
      throw new BenchtopError('CLOUD_NOT_CONFIGURED', 'No Google Cloud project is set for cloud VMs.',
        'Set it with `benchtop cloud config --project ID` or in Hosts → New cloud GPU VM (or as cloud.project in the team file).');
    }
    return { project, zones: own.zones.length ? own.zones : team?.zones ?? [] };
  }

  #open(): Promise<ComputeClients> {
    if (!this.#clients) {
      this.#clients = (this.#d.open ?? openCompute)(this.#d.env);
      // A failed login is not kept: the next call tries again (after `gcloud auth application-default login`).
      this.#clients.catch(() => {
        this.#clients = undefined;
      });
    }
    return this.#clients;
  }

  #step(op: Operation) {
    return (step: CloudStepName, detail?: string) => {
      this.#d.log?.info(`${op.id}: ${step}${detail ? ` — ${detail}` : ''}`);
      op.step(step, detail || undefined);
    };
  }

  #context() {
    const hostIds = new Set(this.#d.hosts.configs().map((h) => h.id));
    return { owner: this.#d.owner, now: this.#d.clock.now(), hasHost: (n: string) => hostIds.has(n), creating: this.#creating, catalogFor: (region: string) => this.#prices.current(region) };
  }

  async settingsView(projectDir?: string): Promise<CloudSettingsView> {
    const own = this.#settings();
    const team = await this.#d.teamCloud(projectDir).catch((error: unknown) => this.#d.log?.ignored('reading the team file\'s cloud settings', error));
    return { ...own, ...(team ? { team } : {}) };
  }

  /** Sets the given cloud settings, each checked; a bad one changes nothing. */
  async setSettings(change: Partial<Omit<CloudSettingsView, 'team'>>): Promise<CloudSettingsView> {
    const next: CloudSettings = { ...this.#settings() };
    const bad = (key: string, hint: string) => new BenchtopError('INVALID_ARGUMENT', `${JSON.stringify((change as Record<string, unknown>)[key])} is not a valid cloud ${key}.`, hint);
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) continue;
      switch (key) {
        case 'project':
          if (typeof value !== 'string' || (value && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(value))) throw bad(key, 'A Google Cloud project id: 6 to 30 lower-case letters, digits and -.');
          next.project = value;
          break;
        case 'zones':
          if (!Array.isArray(value) || !value.every((z) => typeof z === 'string' && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(z))) throw bad(key, 'Zones such as europe-west4-a, us-central1-b.');
          next.zones = value as string[];
          break;
        case 'monthlyLimit':
        case 'maxRunHours':
          if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw bad(key, 'A number, 0 or more (0: none).');
          next[key] = value;
          break;
        case 'defaultDiskGb':
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 10 || value > 65_536) throw bad(key, 'Whole GB from 10 to 65536.');
          next.defaultDiskGb = value;
          break;
        case 'bootImage':
        case 'dockerSocket':
          if (typeof value !== 'string' || (key === 'bootImage' && !value) || (key === 'dockerSocket' && value && !value.startsWith('/'))) throw bad(key, key === 'bootImage' ? 'An image or image family, e.g. projects/deeplearning-platform-release/global/images/family/common-cu124-debian-11-py310.' : 'An absolute path, or empty for /var/run/docker.sock.');
          next[key] = value;
          break;
        case 'sshUser':
          if (typeof value !== 'string' || !/^[a-z_][a-z0-9_-]{0,31}$/.test(value)) throw bad(key, 'A Linux account name, e.g. benchtop.');
          next.sshUser = value;
          break;
        default:
          throw new BenchtopError('INVALID_ARGUMENT', `"${key}" is not a cloud setting.`, 'Known: project, zones, monthlyLimit, maxRunHours, defaultDiskGb, bootImage, sshUser, dockerSocket.');
      }
    }
    this.#d.settings.set('cloud', next);
    return this.settingsView();
  }

  async options(projectDir?: string, refreshPrices = false): Promise<CloudOptions> {
    const { project, zones } = await this.#where(projectDir);
    const clients = await this.#open();
    // The first preferred zone's region decides the prices (GCE's prices differ by region).
    const region = zones[0]?.replace(/-[a-z]$/, '') || 'us-central1';
    const { catalog, note } = await this.#prices.refresh(region, () => clients.requestHeaders(), project, refreshPrices);
    const offered = await zonesOffering(clients, project);
    const settings = this.#settings();
    const offers = GPU_MODELS.filter((m) => offered.has(m.gpuType)).map((m) => ({
      gpuType: m.gpuType,
      label: m.label,
      zones: zones.length ? zones.filter((z) => offered.get(m.gpuType)!.zones.includes(z)) : offered.get(m.gpuType)!.zones,
      shapes: m.shapes.map((s) => {
        const attachedGpu = m.attach === 'attached' ? { gpuType: m.gpuType, count: s.gpuCount } : undefined;
        return {
          gpuCount: s.gpuCount, machineType: s.machineType,
          pricePerHour: pricePerHour({ machineType: s.machineType, attachedGpu, spot: false, diskGb: 0 }, catalog),
          spotPricePerHour: pricePerHour({ machineType: s.machineType, attachedGpu, spot: true, diskGb: 0 }, catalog),
        };
      }),
    }));
    return {
      project, zones, offers,
      catalogDate: catalog.date,
      catalogOrigin: catalog.origin ?? 'shipped',
      catalogRegion: catalog.region,
      ...(note ? { catalogNote: note } : {}),
      diskPricePerGbMonth: catalog.diskPerGbMonth['pd-balanced'] ?? 0,
      monthlyLimit: settings.monthlyLimit,
      spentThisMonth: await this.#spentThisMonth(clients, project),
      defaultDiskGb: settings.defaultDiskGb,
    };
  }

  /** Every Benchtop VM of the project, found by its labels (so also after a restart, and teammates' too). */
  async list(projectDir?: string): Promise<CloudVm[]> {
    const { project } = await this.#where(projectDir);
    return this.#list(await this.#open(), project);
  }

  /**
   * The VMs behind these hosts (the session card's and `benchtop ps`' running cost). Hosts that are
   * not this install's cloud VMs (another key) need no GCE call: none of them answers [] at once.
   */
  async vmsOfHosts(hostIds: readonly string[]): Promise<CloudVm[]> {
    const keyPath = join(this.#d.dataDir, 'cloud', 'id_ed25519');
    const wanted = new Set(this.#d.hosts.configs().filter((h) => hostIds.includes(h.id) && h.identityFile === keyPath).map((h) => h.id));
    if (!wanted.size) return [];
    return (await this.list()).filter((vm) => vm.hostId !== undefined && wanted.has(vm.hostId));
  }

  async #list(clients: ComputeClients, project: string): Promise<CloudVm[]> {
    const vms: CloudVm[] = [];
    const noted: Promise<void>[] = [];
    const context = this.#context();
    try {
      for await (const [, scoped] of clients.instances.aggregatedListAsync({ project, filter: MANAGED_FILTER }, { autoPaginate: false })) {
        for (const instance of scoped.instances ?? []) {
          const vm = vmInfo(instance, context);
          noted.push(this.#noteRun(instance, vm));
          vms.push(vm);
        }
      }
    } catch (error) {
      throw cloudError(`Listing the VMs of project ${project}`, error);
    }
    await Promise.all(noted);
    return vms.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
  }

  /** A stopped VM of this install's finished a run (GCE's last start to its last stop): written down for the month's spend. */
  #noteRun(instance: { lastStartTimestamp?: string | null; lastStopTimestamp?: string | null }, vm: CloudVm): Promise<void> {
    const { lastStartTimestamp: start, lastStopTimestamp: end } = instance;
    if (!vm.mine || (vm.status !== 'TERMINATED' && vm.status !== 'STOPPED') || !start || !end) return Promise.resolve();
    return this.#ledger.record({ vm: vm.name, start, end, pricePerHour: vm.pricePerHour }, this.#d.clock.now())
      .catch((error: unknown) => this.#d.log?.ignored(`writing ${vm.name}'s run to the spend ledger`, error));
  }

  /** Estimated spend of this install's VMs since the month began (UTC): finished runs from the ledger, current runs from the list. */
  async #spentThisMonth(clients: ComputeClients, project: string): Promise<number> {
    const now = this.#d.clock.now();
    const month = new Date(now);
    const monthStart = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1);
    const mine = (await this.#list(clients, project)).filter((vm) => vm.mine);
    return this.#ledger.spent(monthStart, now, mine);
  }

  /** Creates a VM and brings it up as a host; each step is an `operationStep` of `op`, whose signal cancels it. */
  async create(op: Operation, req: CloudCreateRequest): Promise<CloudVm> {
    const { signal } = op;
    const step = this.#step(op);
    const found = shapeFor(req.gpuType, req.gpuCount);
    if (!found) {
      const model = GPU_MODELS.find((m) => m.gpuType === req.gpuType);
      throw new BenchtopError('INVALID_ARGUMENT', model ? `${model.label} comes in ${model.shapes.map((s) => s.gpuCount).join(', ')} GPUs per VM, not ${req.gpuCount}.` : `Benchtop does not know the GPU type "${req.gpuType}".`,
        `Choose one of: ${GPU_MODELS.map((m) => m.gpuType).join(', ')}.`);
    }
    const { model, shape } = found;
    if (req.machineType && familyOf(req.machineType) !== familyOf(shape.machineType)) {
      throw new BenchtopError('INVALID_ARGUMENT', `${req.machineType} is not a ${familyOf(shape.machineType).toUpperCase()} machine type, which ${model.label} needs.`, `Use a ${familyOf(shape.machineType)}-… type, e.g. ${shape.machineType}.`);
    }
    const settings = this.#settings();
    const where = await this.#where();
    const spot = req.spot === true;
    const diskGb = req.diskGb ?? settings.defaultDiskGb;
    const name = vmName(req, this.#d.owner.name);
    step('credentials', 'Application Default Credentials');
    const clients = await this.#open();
    this.#warnMonthlyLimit(step, await this.#spentThisMonth(clients, where.project));
    step('zones', `looking for zones with ${model.gpuType}`);
    const offered = await zonesOffering(clients, where.project);
    const candidates = zonesToTry(offered.get(model.gpuType), req.zones ?? where.zones, shape.gpuCount);
    if (!candidates.length) {
      throw new BenchtopError('CLOUD_STOCKOUT', `No ${(req.zones ?? where.zones).length ? 'preferred ' : ''}zone of ${where.project} offers ${shape.gpuCount} × ${model.gpuType}${(req.zones ?? where.zones).length ? ` (preferred: ${(req.zones ?? where.zones).join(', ')})` : ''}.`,
        `Zones that list it: ${offered.get(model.gpuType)?.zones.join(', ') || 'none'}. Change the zone preference, or choose another GPU type.`);
    }
    step('quota', `checking ${spot ? 'spot ' : ''}GPU quota in ${[...new Set(candidates.map((z) => z.replace(/-[a-z]$/, '')))].join(', ')}`);
    const quota = await checkRegionQuotas(clients, where.project, candidates, model.gpuType, shape.gpuCount, spot);
    if (quota.skipped.length) step('quota', `skipping ${quota.skipped.join('; ')}`);
    const key = await cloudSshKey(this.#d.dataDir, `benchtop-${labelValue(this.#d.owner.id)}`);
    const idleMinutes = req.idleMinutes ?? this.#d.settings.get('idleMinutes');
    const labels = cloudLabels(this.#d.owner, model.gpuType, shape.gpuCount);
    this.#creating.add(name);
    try {
      const zone = await createInFirstZone(clients, {
        project: where.project, zones: quota.zones, signal, step, log: this.#d.log,
        spec: {
          name, model, shape, machineType: req.machineType, spot, diskGb, bootImage: settings.bootImage, labels,
          sshUser: settings.sshUser, publicKey: key.publicKey, maxRunHours: settings.maxRunHours,
          startupScript: idleMinutes > 0
            ? autostopScript({ ownerId: this.#d.owner.id, idleSeconds: idleMinutes * 60, checkSeconds: Math.min(60, Math.max(1, idleMinutes * 10)), dockerSocket: settings.dockerSocket || DEFAULT_SOCKET })
            : '#!/bin/bash\n# Benchtop: no idle stop for this VM (maxRunDuration still applies)\n',
        },
      });
      step('create', `${name} created in ${zone}`);
      return await this.#bringUp(clients, where.project, zone, name, op);
    } finally {
      this.#creating.delete(name);
    }
  }

  #warnMonthlyLimit(step: (s: CloudStepName, d?: string) => void, spent: number): void {
    const limit = this.#settings().monthlyLimit;
    if (limit > 0 && spent >= limit) {
      step('cost', `warning: your cloud VMs have cost about $${spent.toFixed(2)} this month, over your limit of $${limit.toFixed(2)} (Settings → Cloud, or \`benchtop cloud config --monthly-limit USD\`)`);
    }
  }

  /** Waits for RUNNING, then makes the VM a host (SSH, engine). */
  async #bringUp(clients: ComputeClients, project: string, zone: string, name: string, op: Operation): Promise<CloudVm> {
    const { signal } = op;
    const step = this.#step(op);
    step('boot', `waiting for ${name} to run`);
    const instance = await this.#waitForStatus(clients, project, zone, name, 'RUNNING', signal);
    const address = instance.networkInterfaces?.[0]?.accessConfigs?.[0]?.natIP;
    if (!address) {
      throw new BenchtopError('CLOUD_ERROR', `${name} runs but has no external address.`, 'Benchtop reaches its VMs over their external address; check the default network\'s access config.');
    }
    const settings = this.#settings();
    const key = await cloudSshKey(this.#d.dataDir, `benchtop-${labelValue(this.#d.owner.id)}`);
    await handOff(clients, this.#d.hosts, this.#d.settings, {
      project, zone, name, address, marker: vmMarker(project, zone, name), sshUser: settings.sshUser, identityFile: key.privateKeyPath,
      dockerSocket: settings.dockerSocket || undefined, signal, step,
    }, () => this.#d.clock.now());
    step('ready', `${name} is host ${name}`);
    return vmInfo(await this.#get(clients, project, zone, name), this.#context());
  }

  async #get(clients: ComputeClients, project: string, zone: string, name: string) {
    try {
      return (await clients.instances.get({ project, zone, instance: name }))[0];
    } catch (error) {
      throw cloudError(`Reading ${name}`, error);
    }
  }

  async #waitForStatus(clients: ComputeClients, project: string, zone: string, name: string, wanted: string, signal?: AbortSignal, timeoutMs = 10 * 60_000) {
    const deadline = this.#d.clock.now() + timeoutMs;
    for (;;) {
      const instance = await this.#get(clients, project, zone, name);
      if (instance.status === wanted) return instance;
      if (wanted === 'RUNNING' && (instance.status === 'TERMINATED' || instance.status === 'STOPPED')) {
        throw new BenchtopError('CLOUD_ERROR', `${name} stopped (${instance.status}) instead of starting${instance.statusMessage ? `: ${instance.statusMessage}` : ''}.`,
          'Start it again, or delete it; a spot VM can be taken back at any time.');
      }
      if (signal?.aborted) throw new BenchtopError('CANCELLED', 'The operation was cancelled.');
      if (this.#d.clock.now() > deadline) throw new BenchtopError('TIMEOUT', `${name} was not ${wanted} after ${timeoutMs / 60_000} minutes (now ${instance.status}).`, 'Look at the VM in the Cloud console.');
      // GCE's read quota allows this rate many times over; a slower poll only adds to the wait.
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  /** The VM by name, which must be this install's: only its owner acts on it. */
  async #mine(name: string): Promise<{ clients: ComputeClients; project: string; vm: CloudVm }> {
    const { project } = await this.#where();
    const clients = await this.#open();
    const vm = (await this.#list(clients, project)).find((v) => v.name === name);
    if (!vm) throw new BenchtopError('CLOUD_NOT_FOUND', `There is no Benchtop VM "${name}" in project ${project}.`, 'Run `benchtop cloud ls` to see the VMs.');
    if (!vm.mine) throw new BenchtopError('NOT_OWNER', `${name} belongs to ${vm.owner.name}.`, 'Only the person who created a VM can start, stop, resize or delete it.');
    return { clients, project, vm };
  }

  async #run(clients: ComputeClients, project: string, zone: string, what: string, call: () => Promise<unknown>, signal?: AbortSignal): Promise<void> {
    let operation;
    try {
      operation = ((await call()) as [{ latestResponse: unknown }])[0].latestResponse as Parameters<typeof waitForOperation>[3];
    } catch (error) {
      throw cloudError(what, error);
    }
    const { problems } = await waitForOperation(clients, project, zone, operation, signal);
    if (problems.length) throw cloudError(what, problems);
  }

  async start(op: Operation, name: string): Promise<CloudVm> {
    const { signal } = op;
    const { clients, project, vm } = await this.#mine(name);
    const step = this.#step(op);
    this.#warnMonthlyLimit(step, await this.#spentThisMonth(clients, project));
    step('start', `starting ${name}`);
    await this.#run(clients, project, vm.zone, `Starting ${name}`, () => clients.instances.start({ project, zone: vm.zone, instance: name }), signal);
    return this.#bringUp(clients, project, vm.zone, name, op);
  }

  async stop(op: Operation, name: string): Promise<CloudVm> {
    const { signal } = op;
    const { clients, project, vm } = await this.#mine(name);
    this.#step(op)('stop', `stopping ${name}`);
    await this.#run(clients, project, vm.zone, `Stopping ${name}`, () => clients.instances.stop({ project, zone: vm.zone, instance: name }), signal);
    // Its address goes away with it: drop the connection, keep the host entry (the next start updates it).
    await this.#d.hosts.close(name).catch((error: unknown) => this.#d.log?.ignored(`closing the connection to ${name}`, error));
    const stopped = await this.#get(clients, project, vm.zone, name);
    const info = vmInfo(stopped, this.#context());
    await this.#noteRun(stopped, info);
    return info;
  }

  /** A machine-type change needs a stopped VM: a running one is stopped, changed and started only with `stopFirst`. */
  async resize(op: Operation, name: string, machineType: string, stopFirst: boolean): Promise<CloudVm> {
    const { signal } = op;
    const { clients, project, vm } = await this.#mine(name);
    if (familyOf(machineType) !== familyOf(vm.machineType)) {
      throw new BenchtopError('INVALID_ARGUMENT', `${name} is a ${vm.machineType}; ${machineType} is of another family.`, `Choose a ${familyOf(vm.machineType)}-… type (its GPUs decide the family), or create a new VM.`);
    }
    const running = vm.status !== 'TERMINATED' && vm.status !== 'STOPPED';
    if (running && !stopFirst) {
      throw new BenchtopError('CLOUD_VM_BUSY', `${name} is ${vm.status}; GCE changes the machine type only of a stopped VM.`,
        'Confirm stopping it (sessions on it stop; notebooks are kept), or stop it first.');
    }
    const step = this.#step(op);
    if (running) await this.stop(op, name);
    step('resize', `${vm.machineType} → ${machineType}`);
    await this.#run(clients, project, vm.zone, `Changing ${name} to ${machineType}`,
      () => clients.instances.setMachineType({ project, zone: vm.zone, instance: name, instancesSetMachineTypeRequestResource: { machineType: `zones/${vm.zone}/machineTypes/${machineType}` } }), signal);
    if (running) return this.start(op, name);
    return vmInfo(await this.#get(clients, project, vm.zone, name), this.#context());
  }

  /** Deletes the VM and its boot disk (autoDelete), its host entry and its known_hosts lines. */
  async remove(op: Operation, name: string): Promise<{ deleted: true }> {
    const { signal } = op;
    const { clients, project, vm } = await this.#mine(name);
    this.#step(op)('delete', `deleting ${name} and its disk`);
    await this.#run(clients, project, vm.zone, `Deleting ${name}`, () => clients.instances.delete({ project, zone: vm.zone, instance: name }), signal);
    // Deleted while it ran: its last run ends now (a stopped VM's was written down when it was listed).
    if (vm.runningSince) {
      await this.#ledger.record({ vm: name, start: vm.runningSince, end: new Date(this.#d.clock.now()).toISOString(), pricePerHour: vm.pricePerHour }, this.#d.clock.now())
        .catch((error: unknown) => this.#d.log?.ignored(`writing ${name}'s run to the spend ledger`, error));
    }
    if (this.#d.hosts.configs().some((h) => h.id === name)) await this.#d.hosts.remove(name);
    await forgetVmHostKeys(this.#d.hosts.paths.knownHostsPath, vmMarker(project, vm.zone, name));
    return { deleted: true };
  }

  async close(): Promise<void> {
    const pending = this.#clients;
    this.#clients = undefined;
    const clients = await pending?.catch(() => undefined); // a login that failed has nothing to close
    await clients?.close();
  }
}
