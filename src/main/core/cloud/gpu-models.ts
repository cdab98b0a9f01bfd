/**
 * The GPU models Benchtop asks GCE for, and the machine type each GPU count needs. N1 types take
 * the GPUs as `guestAccelerators`; G2 (L4), A2 (A100) and A3 (H100) types carry their GPUs
 * implicitly and must not name them again (GCE refuses the request).
 */
export interface GpuShape {
  gpuCount: number;
  machineType: string;
}

export interface GpuModel {
  gpuType: string;
  label: string;
  /** `attached`: an N1 type plus guestAccelerators; `built-in`: the machine type carries the GPUs. */
  attach: 'attached' | 'built-in';
  shapes: GpuShape[];
}

const shapes = (pairs: [number, string][]): GpuShape[] => pairs.map(([gpuCount, machineType]) => ({ gpuCount, machineType }));

export const GPU_MODELS: readonly GpuModel[] = [
  { gpuType: 'nvidia-tesla-t4', label: 'NVIDIA T4 (16 GB)', attach: 'attached',
    shapes: shapes([[1, 'n1-standard-4'], [2, 'n1-standard-8'], [4, 'n1-standard-16']]) },
  { gpuType: 'nvidia-l4', label: 'NVIDIA L4 (24 GB)', attach: 'built-in',
    shapes: shapes([[1, 'g2-standard-8'], [2, 'g2-standard-24'], [4, 'g2-standard-48'], [8, 'g2-standard-96']]) },
  { gpuType: 'nvidia-tesla-v100', label: 'NVIDIA V100 (16 GB)', attach: 'attached',
    shapes: shapes([[1, 'n1-standard-8'], [2, 'n1-standard-16'], [4, 'n1-standard-32'], [8, 'n1-standard-64']]) },
  { gpuType: 'nvidia-tesla-a100', label: 'NVIDIA A100 (40 GB)', attach: 'built-in',
    shapes: shapes([[1, 'a2-highgpu-1g'], [2, 'a2-highgpu-2g'], [4, 'a2-highgpu-4g'], [8, 'a2-highgpu-8g']]) },
  { gpuType: 'nvidia-a100-80gb', label: 'NVIDIA A100 (80 GB)', attach: 'built-in',
    shapes: shapes([[1, 'a2-ultragpu-1g'], [2, 'a2-ultragpu-2g'], [4, 'a2-ultragpu-4g'], [8, 'a2-ultragpu-8g']]) },
  { gpuType: 'nvidia-h100-80gb', label: 'NVIDIA H100 (80 GB)', attach: 'built-in',
    shapes: shapes([[1, 'a3-highgpu-1g'], [2, 'a3-highgpu-2g'], [4, 'a3-highgpu-4g'], [8, 'a3-highgpu-8g']]) },
];

/** The machine-type family prefix (`n1`, `g2`, `a2`, `a3`); a resize stays in it. */
export const familyOf = (machineType: string): string => machineType.split('-')[0];

/** The model and the shape for a request, or undefined when GCE has no such combination. */
export function shapeFor(gpuType: string, gpuCount: number): { model: GpuModel; shape: GpuShape } | undefined {
  const model = GPU_MODELS.find((m) => m.gpuType === gpuType);
  const shape = model?.shapes.find((s) => s.gpuCount === gpuCount);
  return model && shape ? { model, shape } : undefined;
}

const QUOTA_METRIC: Record<string, string> = {
  'nvidia-tesla-t4': 'NVIDIA_T4_GPUS',
  'nvidia-l4': 'NVIDIA_L4_GPUS',
  'nvidia-tesla-v100': 'NVIDIA_V100_GPUS',
  'nvidia-tesla-a100': 'NVIDIA_A100_GPUS',
  'nvidia-a100-80gb': 'NVIDIA_A100_80GB_GPUS',
  'nvidia-h100-80gb': 'NVIDIA_H100_GPUS',
};

/** The regional quota metric a GPU request draws on, as regions.get lists it (spot VMs use the PREEMPTIBLE_ one). */
export function quotaMetricFor(gpuType: string, spot: boolean): string | undefined {
  const metric = QUOTA_METRIC[gpuType];
  return metric && (spot ? `PREEMPTIBLE_${metric}` : metric);
}
