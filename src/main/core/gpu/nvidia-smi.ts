import type { GpuInfo } from '../../../shared/contract/hosts';

/** The one query Benchtop runs: the fields the GPU check, the inventory and the lease list need. */
export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,uuid,name,memory.total,driver_version,utilization.gpu',
  '--format=csv,noheader,nounits',
] as const;

/** What running nvidia-smi produced, wherever it ran (here by execFile, on a host over SSH). */
export interface CommandOutput {
  stdout: string;
  stderr: string;
  /** Null when the process was killed by a signal. */
  exitCode: number | null;
}

/**
 * What nvidia-smi told us, as the checks and the inventory need to tell it apart:
 * `missing` and `none` mean "no NVIDIA GPU here"; `driver-error` means GPUs may exist but the driver
 * is not working; `timeout` means nvidia-smi hung (a wedged driver does that).
 */
export type NvidiaSmiOutcome =
  | { state: 'ok'; gpus: GpuInfo[] }
  | { state: 'none' | 'missing' | 'driver-error' | 'timeout' | 'error'; detail: string };

/** Fields nvidia-smi prints instead of a value it cannot read. */
const NOT_AVAILABLE = /^\[(?:N\/A|Not Supported|Unknown Error|Insufficient Permissions|GPU is lost)\]$/i;

function numberField(raw: string): number | undefined {
  if (NOT_AVAILABLE.test(raw) || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Parses `--format=csv,noheader,nounits` lines. The name sits between two fixed fields on each side,
 * so a name with a comma in it still parses. Lines that are not GPU rows (warnings some drivers
 * print first) are skipped.
 */
export function parseGpuCsv(stdout: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 6 || !/^\d+$/.test(fields[0])) continue;
    const [index, uuid] = fields;
    const [memory, driverVersion, utilization] = fields.slice(-3);
    const gpu: GpuInfo = {
      index: Number(index),
      uuid: NOT_AVAILABLE.test(uuid) ? '' : uuid,
      name: fields.slice(2, -3).join(', '),
      memoryMiB: numberField(memory) ?? 0,
      driverVersion: NOT_AVAILABLE.test(driverVersion) ? '' : driverVersion,
    };
    const percent = numberField(utilization);
    if (percent !== undefined) gpu.utilizationPercent = percent;
    gpus.push(gpu);
  }
  return gpus;
}

/** Turns one nvidia-smi run into an outcome; `notFound` is true when the command does not exist. */
export function interpretNvidiaSmi(output: CommandOutput): NvidiaSmiOutcome {
  const text = `${output.stdout}\n${output.stderr}`.trim();
  const firstLine = text.split(/\r?\n/).find((l) => l.trim()) ?? '';
  if (output.exitCode === 127 || /nvidia-smi: (?:command )?not found|No such file or directory/i.test(text)) {
    return { state: 'missing', detail: 'nvidia-smi is not installed' };
  }
  if (/No devices were found/i.test(text)) return { state: 'none', detail: 'nvidia-smi found no GPUs' };
  if (/NVIDIA-SMI has failed|couldn't communicate with the NVIDIA driver|Driver\/library version mismatch|Failed to initialize NVML/i.test(text)) {
    return { state: 'driver-error', detail: firstLine };
  }
  const gpus = parseGpuCsv(output.stdout);
  if (gpus.length > 0) return { state: 'ok', gpus };
  if (output.exitCode === 0 && !output.stdout.trim()) return { state: 'none', detail: 'nvidia-smi listed no GPUs' };
  return { state: 'error', detail: firstLine || `nvidia-smi exited with code ${output.exitCode ?? 'signal'}` };
}

/** The id a GPU is leased and requested by: its UUID, or its index where the UUID is unreadable. */
export function gpuId(gpu: GpuInfo): string {
  return gpu.uuid || String(gpu.index);
}

/** One line for a screen: `2× NVIDIA A100-SXM4-80GB (80 GiB), driver 550.54.15`. */
export function describeGpus(gpus: GpuInfo[]): string {
  const byName = new Map<string, number>();
  for (const g of gpus) byName.set(g.name, (byName.get(g.name) ?? 0) + 1);
  const names = [...byName].map(([name, n]) => {
    const mem = gpus.find((g) => g.name === name)?.memoryMiB ?? 0;
    return `${n}× ${name}${mem ? ` (${Math.round(mem / 1024)} GiB)` : ''}`;
  });
  const drivers = [...new Set(gpus.map((g) => g.driverVersion).filter(Boolean))];
  return `${names.join(', ')}${drivers.length ? `, driver ${drivers.join('/')}` : ''}`;
}
