import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sshHostEnv, type SshHostEnv } from './ssh-host';

/** One simulated card, as the host's `nvidia-smi` stand-in (scripts/test-env/gpu/nvidia-smi) reads it. */
export interface SimulatedGpu {
  index: number;
  uuid: string;
  name: string;
  memoryTotalMiB: number;
  /** Defaults to the sum of the card's processes. */
  memoryUsedMiB?: number;
  utilizationPercent?: number;
  utilizationMemoryPercent?: number;
  pciBusId?: string;
}

/** A process `nvidia-smi --query-compute-apps` lists (host pid). */
export interface SimulatedGpuProcess {
  gpuUuid: string;
  pid: number;
  name?: string;
  usedMemoryMiB?: number;
}

export interface GpuState {
  driverVersion: string;
  gpus: SimulatedGpu[];
  processes: SimulatedGpuProcess[];
  /** A broken driver: nvidia-smi prints `output` and exits with `exitCode`. */
  failure?: { output: string; exitCode: number };
  /** A slow (or wedged) driver: nvidia-smi answers after this many seconds. */
  delaySeconds?: number;
}

/**
 * The host's GPU state is one file shared by every test on this machine (the host is machine-wide):
 * change only what the test is about (a card's utilization, a process) and restore it in afterAll,
 * with resetGpuState or the value gpuState() gave before.
 */
export function gpuState(ssh: SshHostEnv = sshHostEnv()): GpuState {
  return JSON.parse(readFileSync(ssh.gpus.stateFile, 'utf8')) as GpuState;
}

/** Writes the state atomically (temp file + rename), so a concurrent nvidia-smi never reads half of it. */
export function writeGpuState(state: GpuState, ssh: SshHostEnv = sshHostEnv()): void {
  const tmp = join(dirname(ssh.gpus.stateFile), `.state-${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, ssh.gpus.stateFile);
}

/** Reads, changes and writes the state in one step; returns what it was before (to restore). */
export function updateGpuState(change: (state: GpuState) => void, ssh: SshHostEnv = sshHostEnv()): GpuState {
  const before = gpuState(ssh);
  const next = structuredClone(before);
  change(next);
  writeGpuState(next, ssh);
  return before;
}

/** Back to four idle cards with nothing running. */
export function resetGpuState(ssh: SshHostEnv = sshHostEnv()): void {
  writeGpuState(JSON.parse(readFileSync(ssh.gpus.defaultStateFile, 'utf8')) as GpuState, ssh);
}

/** The simulated cards' UUIDs, in index order: the ids DeviceRequests and leases name. */
export function simulatedGpuIds(ssh: SshHostEnv = sshHostEnv()): string[] {
  const state = JSON.parse(readFileSync(ssh.gpus.defaultStateFile, 'utf8')) as GpuState;
  return [...state.gpus].sort((a, b) => a.index - b.index).map((g) => g.uuid);
}
