import type { CloudOptions, CloudSettingsView, CloudVm } from '../../shared/contract/cloud';
import { flag, stringOption } from '../args';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { follow } from '../follow';
import { columns, table } from '../output';
import { BenchtopError } from '../../main/core/errors';
import { money } from './cloud-cost';
import type { Command } from './types';

const USAGE = `benchtop cloud create --gpu TYPE [--count N] [--zone Z,…] [--spot] [--disk GB] [--machine-type T] [--name NAME] [--idle-minutes M] [--json]
benchtop cloud config [--project ID] [--zone Z,…] [--monthly-limit USD] [--max-run-hours H] [--disk GB] [--boot-image IMAGE] [--json]
benchtop cloud ls                [--json]
benchtop cloud prices            [--refresh] [--json]
benchtop cloud start NAME        [--json]
benchtop cloud stop NAME         [--json]
benchtop cloud resize NAME TYPE  [--yes] [--json]
benchtop cloud rm NAME           [--json]

GPU VMs on Google Compute Engine, in the project and zones of Settings → Cloud (or the team file),
with Application Default Credentials (\`gcloud auth application-default login\`). create tries the
zones offering the GPU in order, moving on when one has no capacity, then waits for SSH and Docker:
the VM is then a host (its name) for \`benchtop up --target NAME\`, move, gpus. A VM stops itself
once no session of yours has run on it for its idle minutes (default: the idle-minutes setting), and
GCE stops it after the maximum run time of the settings in any case. resize changes the machine type,
which needs a stopped VM: --yes stops a running one, changes it and starts it again.
ls lists every Benchtop VM of the project (found by its labels), with price per hour and the running
cost; prices shows each GPU shape's price per hour, from the Cloud Billing Catalog API (fetched
once a week, --refresh: now) or, when that cannot be reached, the catalog shipped with Benchtop,
with its date. A VM whose creation was cut short is marked "interrupted": delete it with \`benchtop cloud rm\`.
config shows or sets the project, preferred zones, monthly cost warning, maximum run time, default
disk and boot image (the team file's project and zones apply while these are empty).
Exit codes: 0 done; 2 error (CLOUD_STOCKOUT, CLOUD_QUOTA_EXCEEDED, CLOUD_AUTH_MISSING, …).`;

function needArg(value: string | undefined, what: string): string {
  if (!value) throw new BenchtopError('INVALID_ARGUMENT', `Missing ${what}.`, 'Run `benchtop cloud --help` for the usage.');
  return value;
}

function numberOption(ctx: CliContext, name: string): number | undefined {
  const raw = stringOption(ctx.args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new BenchtopError('INVALID_ARGUMENT', `--${name} ${raw} is not a number.`, `Give --${name} a number, e.g. --${name} 1.`);
  return value;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

function describe(vm: CloudVm): string {
  return table([
    ['VM', `${vm.name} (${vm.zone})`],
    ['Status', vm.interrupted ? `${vm.status}, creation interrupted` : vm.status],
    ['Machine', `${vm.machineType}${vm.gpuType ? `, ${vm.gpuCount} × ${vm.gpuType}` : ''}${vm.spot ? ', spot' : ''}, ${vm.diskGb} GB disk`],
    ['Host', vm.hostId ? `${vm.hostId}${vm.address ? ` (${vm.address})` : ''}` : '-'],
    ['Price', vm.priceUnknown ? `unknown: ${vm.machineType} is not in the price catalog of ${vm.priceDate}` : `${usd(vm.pricePerHour)}/h${vm.runningSince ? `, ${usd(vm.runningCost)} since ${vm.runningSince}` : ''}`],
    ['Owner', vm.mine ? `${vm.owner.name} (you)` : vm.owner.name],
  ]);
}

function prices(options: CloudOptions): string {
  const rows = options.offers.flatMap((o) => o.shapes.map((s) => [o.gpuType, String(s.gpuCount), s.machineType, `${usd(s.pricePerHour)}/h`, `${usd(s.spotPricePerHour)}/h`, o.zones.join(' ') || '-']));
  return `${columns(['GPU', 'COUNT', 'MACHINE', 'PRICE', 'SPOT', 'ZONES'], rows)}
Prices: ${options.catalogOrigin === 'billing-api' ? 'Cloud Billing Catalog API' : 'catalog shipped with Benchtop'}, ${options.catalogDate}, ${options.catalogRegion}; without the disk (${usd(options.diskPricePerGbMonth)} per GB-month).${options.catalogNote ? `\n${options.catalogNote}` : ''}${options.monthlyLimit ? `\nThis month: about ${usd(options.spentThisMonth)} of your ${usd(options.monthlyLimit)} limit.` : ''}`;
}

/** Progress lines on stderr; with --json only the cost warning (over the monthly limit), which a script must still see. */
async function withSteps<T>(ctx: CliContext, opId: string, work: () => Promise<T>): Promise<T> {
  const off = follow(ctx, opId, {
    operationStep: (s) => {
      if (!ctx.json || s.step === 'cost') ctx.err(`${s.step}${s.detail ? `: ${s.detail}` : ''}`);
    },
  }, { children: false });
  try {
    return await work();
  } finally {
    off();
  }
}

export const cloudCommand: Command = {
  name: 'cloud',
  usage: USAGE,
  options: {
    gpu: { type: 'string', value: 'TYPE', help: 'create: the GPU type (nvidia-tesla-t4, nvidia-l4, nvidia-tesla-v100, nvidia-tesla-a100, nvidia-a100-80gb, nvidia-h100-80gb)' },
    count: { type: 'string', value: 'N', help: 'create: GPUs on the VM (default 1)' },
    zone: { type: 'string', value: 'Z,…', help: 'create: the zones to try, in order (default: the settings\' zones offering the GPU)' },
    spot: { type: 'boolean', help: 'create: a spot VM (much cheaper; GCE may stop it at any time)' },
    disk: { type: 'string', value: 'GB', help: 'create: boot disk size' },
    'machine-type': { type: 'string', value: 'TYPE', help: 'create: a bigger machine type of the same family' },
    name: { type: 'string', value: 'NAME', help: 'create: the VM name (default benchtop-<you>-<random>)' },
    'idle-minutes': { type: 'string', value: 'M', help: 'create: power off after M minutes without a session (0: never)' },
    refresh: { type: 'boolean', help: 'prices: fetch the prices from the Cloud Billing Catalog API now' },
    yes: { type: 'boolean', help: 'resize: stop a running VM to change it, then start it again' },
    project: { type: 'string', value: 'ID', help: 'config: the Google Cloud project id' },
    'monthly-limit': { type: 'string', value: 'USD', help: 'config: warn when your VMs cost more than this in a month (0: never)' },
    'max-run-hours': { type: 'string', value: 'H', help: 'config: GCE stops a VM after this long whatever happens (0: no limit)' },
    'boot-image': { type: 'string', value: 'IMAGE', help: 'config: the boot image or family (NVIDIA driver and Docker)' },
  },
  async run(ctx) {
    const [action, name, extra] = ctx.args.positional;
    const print = (value: unknown, human: () => string) => ctx.out(ctx.json ? JSON.stringify(value, null, 2) : human());
    const opId = ctx.newOpId();
    switch (action) {
      case 'create': {
        const vm = await withSteps(ctx, opId, () => ctx.handlers.cloudVmCreate({
          opId,
          gpuType: needArg(stringOption(ctx.args, 'gpu'), 'the GPU type (--gpu nvidia-tesla-t4)'),
          gpuCount: numberOption(ctx, 'count') ?? 1,
          zones: stringOption(ctx.args, 'zone')?.split(',').map((z) => z.trim()).filter(Boolean),
          spot: flag(ctx.args, 'spot') || undefined,
          diskGb: numberOption(ctx, 'disk'),
          machineType: stringOption(ctx.args, 'machine-type'),
          name: stringOption(ctx.args, 'name'),
          idleMinutes: numberOption(ctx, 'idle-minutes'),
        }) as Promise<CloudVm>);
        print(vm, () => `${describe(vm)}\nStart a session on it: benchtop up --target ${vm.hostId ?? vm.name}`);
        return EXIT.OK;
      }
      case 'config': {
        const zone = stringOption(ctx.args, 'zone');
        const change = {
          project: stringOption(ctx.args, 'project'),
          zones: zone === undefined ? undefined : zone.split(',').map((z) => z.trim()).filter(Boolean),
          monthlyLimit: numberOption(ctx, 'monthly-limit'),
          maxRunHours: numberOption(ctx, 'max-run-hours'),
          defaultDiskGb: numberOption(ctx, 'disk'),
          bootImage: stringOption(ctx.args, 'boot-image'),
        };
        const changed = Object.values(change).some((v) => v !== undefined);
        const view = await (changed ? ctx.handlers.cloudSettingsSet(change) : ctx.handlers.cloudSettingsGet({})) as CloudSettingsView;
        print(view, () => table([
          ['Project', view.project || (view.team?.project ? `${view.team.project} (team file)` : 'not set')],
          ['Zones', view.zones.join(', ') || (view.team?.zones.length ? `${view.team.zones.join(', ')} (team file)` : 'any zone offering the GPU')],
          ['Monthly limit', view.monthlyLimit ? usd(view.monthlyLimit) : 'none'],
          ['Max run time', view.maxRunHours ? `${view.maxRunHours} h` : 'no limit'],
          ['Disk', `${view.defaultDiskGb} GB`],
          ['Boot image', view.bootImage],
        ]));
        return EXIT.OK;
      }
      case 'ls':
      case 'list': {
        const vms = await ctx.handlers.cloudVmList({}) as CloudVm[];
        print(vms, () => vms.length === 0 ? 'No Benchtop VMs in the project. Create one with `benchtop cloud create --gpu nvidia-tesla-t4`.'
          : `${columns(['NAME', 'ZONE', 'STATUS', 'MACHINE', 'GPUS', 'PRICE/H', '     COST', 'OWNER'], vms.map((vm) => [
            vm.name, vm.zone, vm.interrupted ? `${vm.status} (interrupted)` : vm.status, vm.machineType,
            vm.gpuType ? `${vm.gpuCount} × ${vm.gpuType}${vm.spot ? ' (spot)' : ''}` : '-', vm.priceUnknown ? '      ?' : money(vm.pricePerHour, 7), vm.runningSince && !vm.priceUnknown ? money(vm.runningCost, 9) : '-'.padStart(9), vm.mine ? 'you' : vm.owner.name,
          ]))}\nPrices: ${vms[0].priceOrigin === 'billing-api' ? 'Cloud Billing Catalog API' : 'catalog shipped with Benchtop'}, ${vms[0].priceDate}; COST is the current run's, since the VM last started.`);
        return EXIT.OK;
      }
      case 'prices': {
        const options = await ctx.handlers.cloudOptions({ refreshPrices: flag(ctx.args, 'refresh') || undefined }) as CloudOptions;
        print(options, () => prices(options));
        return EXIT.OK;
      }
      case 'start':
      case 'stop': {
        const call = action === 'start' ? ctx.handlers.cloudVmStart : ctx.handlers.cloudVmStop;
        const vm = await withSteps(ctx, opId, () => call({ opId, name: needArg(name, 'the VM name') }) as Promise<CloudVm>);
        print(vm, () => describe(vm));
        return EXIT.OK;
      }
      case 'resize': {
        const vm = await withSteps(ctx, opId, () => ctx.handlers.cloudVmResize({
          opId, name: needArg(name, 'the VM name'), machineType: needArg(extra, 'the new machine type'), stopFirst: flag(ctx.args, 'yes'),
        }) as Promise<CloudVm>);
        print(vm, () => describe(vm));
        return EXIT.OK;
      }
      case 'rm':
      case 'delete': {
        const done = await withSteps(ctx, opId, async () => ctx.handlers.cloudVmDelete({ opId, name: needArg(name, 'the VM name') }));
        print(done, () => `Deleted ${name} and its disk.`);
        return EXIT.OK;
      }
      default:
        throw new BenchtopError('INVALID_ARGUMENT', action ? `Unknown cloud action "${action}".` : 'Missing the cloud action.', 'Use create, config, ls, prices, start, stop, resize or rm (see `benchtop cloud --help`).');
    }
  },
};
