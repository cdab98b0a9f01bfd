/**
 * The oldest Linux NVIDIA driver each CUDA toolkit release needs ("CUDA Toolkit and Corresponding
 * Driver Versions", CUDA release notes, table 3). Below it, CUDA's minor-version compatibility still
 * runs most code on a driver of the same major family (first row per major), but PTX JIT and newer
 * APIs fail, so that case is a warning, not a pass.
 */
export const MIN_DRIVER_FOR_CUDA: Record<string, string> = {
  '13.0': '580.65.06',
  '12.9': '575.51.03',
  '12.8': '570.26',
  '12.6': '560.28.03',
  '12.5': '555.42.02',
  '12.4': '550.54.14',
  '12.3': '545.23.06',
  '12.2': '535.54.03',
  '12.1': '530.30.02',
  '12.0': '525.60.13',
  '11.8': '520.61.05',
  '11.7': '515.43.04',
  '11.6': '510.39.01',
  '11.5': '495.29.05',
  '11.4': '470.42.01',
  '11.3': '465.19.01',
  '11.2': '460.27.03',
  '11.1': '455.23.05',
  '11.0': '450.36.06',
  '10.2': '440.33',
  '10.1': '418.39',
  '10.0': '410.48',
};

/** Minor-version compatibility floor per CUDA major (CUDA compatibility guide). */
export const MIN_DRIVER_FOR_CUDA_MAJOR: Record<string, string> = {
  '13': '580.65.06',
  '12': '525.60.13',
  '11': '450.80.02',
};

/** Compares dotted driver versions numerically (`535.54.03` < `535.104.05`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export interface DriverVerdict {
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  /** The driver the image's CUDA release needs, when known. */
  needs?: string;
  /** The minor-compatibility floor for that CUDA major, when known. */
  floor?: string;
}

/** Holds a driver version against the CUDA version an image was built for (`12.4`, `12.4.1`, `cuda12.4`). */
export function driverVerdict(cuda: string, driver: string): DriverVerdict {
  const match = /(\d+)\.(\d+)/.exec(cuda);
  if (!match) return { status: 'unknown' };
  const [, major, minor] = match;
  let needs: string | undefined = MIN_DRIVER_FOR_CUDA[`${major}.${minor}`];
  if (!needs) {
    // A release newer than the table: the newest known row of that major is the best lower bound.
    const sameMajor = Object.keys(MIN_DRIVER_FOR_CUDA).filter((k) => k.startsWith(`${major}.`) && compareVersions(k, `${major}.${minor}`) < 0);
    needs = sameMajor.length ? MIN_DRIVER_FOR_CUDA[sameMajor.sort(compareVersions).at(-1) as string] : undefined;
  }
  const floor = MIN_DRIVER_FOR_CUDA_MAJOR[major];
  if (!needs) return { status: 'unknown', floor };
  if (compareVersions(driver, needs) >= 0) return { status: 'pass', needs, floor };
  if (floor && compareVersions(driver, floor) >= 0) return { status: 'warn', needs, floor };
  return { status: 'fail', needs, floor };
}
