/**
 * vCPUs, memory (GiB) and built-in GPUs of the machine types in the price catalog, as GCE's
 * machine-type docs list them. The Cloud Billing Catalog prices a VM by its parts (per vCPU hour,
 * per GiB hour, per GPU hour), so a refreshed price is these times the parts' prices.
 */
export interface MachineShape {
  vcpus: number;
  memoryGib: number;
  /** GPUs the type carries (G2, A2, A3); N1 types carry none (they are attached). */
  gpus?: { gpuType: string; count: number };
}

const n1 = (vcpus: number): MachineShape => ({ vcpus, memoryGib: vcpus * 3.75 });
const built = (vcpus: number, memoryGib: number, gpuType: string, count: number): MachineShape => ({ vcpus, memoryGib, gpus: { gpuType, count } });

/** GiB per vCPU of N1's predefined kinds. */
const N1_MEMORY: Record<string, number> = { standard: 3.75, highmem: 6.5, highcpu: 0.9 };

/** The catalog's types, and any N1 predefined type by its name (n1-highmem-8: 8 vCPUs, 52 GiB). */
export function shapeOf(machineType: string): MachineShape | undefined {
  const known = MACHINE_SHAPES[machineType];
  if (known) return known;
  const n1 = /^n1-(standard|highmem|highcpu)-(\d+)$/.exec(machineType);
  return n1 ? { vcpus: Number(n1[2]), memoryGib: Number(n1[2]) * N1_MEMORY[n1[1]] } : undefined;
}

export const MACHINE_SHAPES: Readonly<Record<string, MachineShape>> = {
  'n1-standard-4': n1(4),
  'n1-standard-8': n1(8),
  'n1-standard-16': n1(16),
  'n1-standard-32': n1(32),
  'n1-standard-64': n1(64),
  'g2-standard-4': built(4, 16, 'nvidia-l4', 1),
  'g2-standard-8': built(8, 32, 'nvidia-l4', 1),
  'g2-standard-12': built(12, 48, 'nvidia-l4', 1),
  'g2-standard-16': built(16, 64, 'nvidia-l4', 1),
  'g2-standard-24': built(24, 96, 'nvidia-l4', 2),
  'g2-standard-32': built(32, 128, 'nvidia-l4', 1),
  'g2-standard-48': built(48, 192, 'nvidia-l4', 4),
  'g2-standard-96': built(96, 384, 'nvidia-l4', 8),
  'a2-highgpu-1g': built(12, 85, 'nvidia-tesla-a100', 1),
  'a2-highgpu-2g': built(24, 170, 'nvidia-tesla-a100', 2),
  'a2-highgpu-4g': built(48, 340, 'nvidia-tesla-a100', 4),
  'a2-highgpu-8g': built(96, 680, 'nvidia-tesla-a100', 8),
  'a2-ultragpu-1g': built(12, 170, 'nvidia-a100-80gb', 1),
  'a2-ultragpu-2g': built(24, 340, 'nvidia-a100-80gb', 2),
  'a2-ultragpu-4g': built(48, 680, 'nvidia-a100-80gb', 4),
  'a2-ultragpu-8g': built(96, 1360, 'nvidia-a100-80gb', 8),
  'a3-highgpu-1g': built(26, 234, 'nvidia-h100-80gb', 1),
  'a3-highgpu-2g': built(52, 468, 'nvidia-h100-80gb', 2),
  'a3-highgpu-4g': built(104, 936, 'nvidia-h100-80gb', 4),
  'a3-highgpu-8g': built(208, 1872, 'nvidia-h100-80gb', 8),
};
