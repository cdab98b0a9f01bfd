import { readFile as readFileCb } from 'node:fs';
import { platform, release, version } from 'node:os';
import { promisify } from 'node:util';
import { compareVersions } from '../cuda-drivers';
import type { MachineCheck } from '../types';

// node:fs with promisify, not node:fs/promises: that module loads a dozen more on first use, which
// `benchtop check` pays for at start-up.
const readFile = promisify(readFileCb);

/** Docker's own floor for the Linux kernel (overlay2, cgroups, seccomp as the engine uses them). */
const MIN_LINUX_KERNEL = '3.10';

async function distro(): Promise<string | undefined> {
  try {
    const text = await readFile('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

export const osCheck: MachineCheck = {
  id: 'os',
  title: 'Operating system',
  async run() {
    const os = platform();
    const kernel = release();
    if (os === 'linux') {
      const name = await distro();
      const value = `Linux ${kernel}${name ? ` (${name})` : ''}`;
      if (compareVersions(kernel, MIN_LINUX_KERNEL) < 0) {
        return { status: 'fail', value, requirement: `Linux kernel ≥ ${MIN_LINUX_KERNEL}`,
          hint: 'Docker needs a newer kernel: upgrade the distribution or use a GPU host.' };
      }
      return { status: 'pass', value };
    }
    const names: Record<string, string> = { darwin: 'macOS', win32: 'Windows' };
    if (!names[os]) {
      return { status: 'warn', value: `${os} ${kernel}`, hint: 'Benchtop is tested on Linux, macOS and Windows; sessions may still run on a GPU host.' };
    }
    return { status: 'pass', value: `${names[os]} ${kernel} (${version()})` };
  },
};
