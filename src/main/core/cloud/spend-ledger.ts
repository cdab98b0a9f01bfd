import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../log/logger';
import { round } from './prices';

/** One finished run of one of this install's VMs: from a start to the stop (or the delete), at its price. */
export interface VmRun {
  vm: string;
  start: string;
  end: string;
  pricePerHour: number;
}

/** Runs older than this are dropped (the monthly limit looks at this month only). */
const KEEP_MS = 400 * 24 * 3_600_000;

const overlapHours = (start: number, end: number, from: number, to: number) => Math.max(0, Math.min(end, to) - Math.max(start, from)) / 3_600_000;

/**
 * What this install's VMs ran this month. GCE keeps only a VM's last start and stop, so each finished
 * run is written down here (`cloud/runs.json` in the data folder) when the list sees a stopped VM, or
 * when Benchtop deletes a running one; the current runs come from the list itself.
 */
export class SpendLedger {
  readonly #file: string;
  readonly #log?: Logger;
  #runs?: VmRun[];
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string, log?: Logger) {
    this.#file = file;
    this.#log = log;
  }

  runs(): readonly VmRun[] {
    if (this.#runs) return this.#runs;
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.#file, 'utf8'));
      if (!Array.isArray(parsed)) throw new Error('not a list of runs');
      this.#runs = parsed.filter((r: Partial<VmRun>) => typeof r?.vm === 'string' && typeof r.start === 'string' && typeof r.end === 'string' && typeof r.pricePerHour === 'number') as VmRun[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#log?.warn(`cloud spend ledger ${this.#file} unreadable, starting a new one: ${(error as Error).message}`);
      this.#runs = [];
    }
    return this.#runs;
  }

  /** Writes the run down unless it is already there (same VM and start); a later end replaces an earlier one. */
  async record(run: VmRun, now: number): Promise<void> {
    if (!(Date.parse(run.end) > Date.parse(run.start))) return;
    const runs = [...this.runs()];
    const i = runs.findIndex((r) => r.vm === run.vm && r.start === run.start);
    if (i >= 0 && runs[i].end >= run.end) return;
    if (i >= 0) runs[i] = run;
    else runs.push(run);
    this.#runs = runs.filter((r) => now - Date.parse(r.end) < KEEP_MS);
    // One write at a time (each writes the list as it is then), so two records never race on the file.
    const write = this.#writing.catch(() => undefined).then(async () => {
      await mkdir(dirname(this.#file), { recursive: true, mode: 0o700 });
      const temp = `${this.#file}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(this.#runs, null, 1)}\n`);
      await rename(temp, this.#file);
    });
    this.#writing = write;
    await write;
  }

  /**
   * USD spent from `from` to `now`: the finished runs, plus the current runs of `running` (a current
   * run already written down, by a delete, is not counted twice).
   */
  spent(from: number, now: number, running: readonly { name: string; pricePerHour: number; runningSince?: string }[]): number {
    let sum = 0;
    for (const r of this.runs()) sum += r.pricePerHour * overlapHours(Date.parse(r.start), Date.parse(r.end), from, now);
    for (const vm of running) {
      if (!vm.runningSince || this.runs().some((r) => r.vm === vm.name && r.start === vm.runningSince)) continue;
      sum += vm.pricePerHour * overlapHours(Date.parse(vm.runningSince), now, from, now);
    }
    return round(sum);
  }
}
